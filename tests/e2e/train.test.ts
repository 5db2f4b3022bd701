import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  embedHost,
  hostArrivals,
  hostMessages,
  openApp,
  pickPreset,
  sendToApp,
  wasmLayoutText,
  type HostMessage,
} from './app';
import { ROOT, screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();
/** The shared CIFAR-10 subset beside the project (../shared/data/README.md), or $CONVSCOPE_CIFAR10. */
const cifarSubset =
  process.env['CONVSCOPE_CIFAR10'] ??
  fileURLToPath(new URL('../../../shared/data/cifar-10-binary-subset.tar.gz', import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(`${ROOT}tests/fixtures/train/${name}.json`, 'utf8'));

/** Opens the Train tab and fills the form as a user would. */
async function trainForm(page: Page, fields: Record<string, string>, selects: Record<string, string>) {
  await page.getByRole('tab', { name: 'Train' }).click();
  const panel = page.locator('.train-panel');
  await panel.waitFor();
  for (const [label, value] of Object.entries(selects))
    await panel.getByLabel(label, { exact: true }).selectOption(value);
  for (const [label, value] of Object.entries(fields)) await panel.getByLabel(label, { exact: true }).fill(value);
  return panel;
}

/**
 * Starts recording main-thread tasks over 50 ms (the Long Tasks API) and when the results of a
 * run appear: `longTasks` gives those that ended before, while it trained.
 */
const watchLongTasks = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { tasks: PerformanceEntry[]; resultsAt: number };
    w.tasks = [];
    w.resultsAt = Infinity;
    new PerformanceObserver((list) => w.tasks.push(...list.getEntries())).observe({ type: 'longtask' });
    new MutationObserver(() => {
      if (w.resultsAt === Infinity && document.querySelector('.train-results')) w.resultsAt = performance.now();
    }).observe(document.body, { childList: true, subtree: true });
  });
const longTasks = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { tasks: PerformanceEntry[]; resultsAt: number };
    // The task that draws the results ends as they appear (durations are rounded: 5 ms of slack).
    return w.tasks.filter((t) => t.startTime + t.duration < w.resultsAt - 5).map((t) => t.duration);
  });

type Report = { type: string; [key: string]: unknown };

/**
 * Trains the tiny CNN in the page's training worker (the real one, through its typed protocol)
 * on `backend` and returns what the worker reported: the backend it chose, steps, epochs, done.
 */
function trainInWorker(page: Page, backend: string): Promise<Report[]> {
  // A string, so that the imports run in the page (served by Vite), not in the test.
  return page.evaluate(`(async () => {
    const { TrainerClient } = await import('/src/train/client.ts');
    const { parseProject } = await import('/src/io/project/format.ts');
    const { DEFAULT_CONFIG } = await import('/src/train/loop/config.ts');
    const read = parseProject(${JSON.stringify(fixture('tiny-cnn'))});
    if (!read.ok) throw new Error(read.error);
    return await new Promise((resolve) => {
      const seen = [];
      const client = new TrainerClient((m) => {
        if (['backend', 'step', 'epoch', 'done', 'error'].includes(m.type)) seen.push(m);
        if (m.type === 'done' || m.type === 'error') {
          client.terminate();
          resolve(seen.map((m) => ({ ...m, samples: undefined, filters: undefined })));
        }
      });
      client.send({
        type: 'start',
        model: read.model,
        config: { ...DEFAULT_CONFIG, epochs: 2, batchSize: 16, maxTrainSamples: 48, maxTestSamples: 32, augment: false },
        data: { dataset: 'synthetic' },
        backend: ${JSON.stringify(backend)},
        memoryBudget: 2 ** 30,
      });
    });
  })()`);
}

describe('training in the tab', () => {
  it('WebGPU (software adapter) runs training steps whose losses match the CPU backend', async () => {
    const { page } = await openApp(app.browser, app.url);
    const gpu = await trainInWorker(page, 'webgpu');
    const cpu = await trainInWorker(page, 'cpu');
    await page.close();
    for (const [run, name] of [
      [gpu, 'webgpu'],
      [cpu, 'cpu'],
    ] as const) {
      expect(run.find((m) => m.type === 'error')).toBeUndefined();
      // The backend asked for is the one that ran (WebGPU did not quietly fall back).
      expect(run[0]).toMatchObject({ type: 'backend', name, tried: [{ name, ok: true }] });
    }
    // Steps are reported at most five times a second, so each run reports its own subset of them:
    // compare the steps both reported (the first and each epoch's last always are), and the epochs.
    const values = (run: Report[]) =>
      new Map([
        ...run.filter((m) => m.type === 'step').map((m) => [`step ${m['epoch']}.${m['step']}`, m['loss']] as const),
        ...run
          .filter((m) => m.type === 'epoch')
          .flatMap((m) => [
            [`epoch ${m['epoch']} train loss`, m['trainLoss']] as const,
            [`epoch ${m['epoch']} test loss`, m['testLoss']] as const,
          ]),
      ]);
    const [a, b] = [values(gpu), values(cpu)];
    const shared = [...a.keys()].filter((k) => b.has(k));
    expect(shared).toEqual(expect.arrayContaining(['step 1.1', 'step 1.3', 'step 2.3', 'epoch 2 test loss']));
    // The first step's loss comes from the same seeded weights: float32 rounding apart, equal.
    expect(Math.abs((a.get('step 1.1') as number) - (b.get('step 1.1') as number))).toBeLessThan(1e-4);
    // Six SGD steps later the two runs still agree to a thousandth.
    for (const k of shared) {
      const [x, y] = [a.get(k) as number, b.get(k) as number];
      expect(Math.abs(x - y), `${k}: webgpu ${x}, cpu ${y}`).toBeLessThan(1e-3);
    }
  }, 240_000);

  it('left to choose, passes by WebGPU and WebGL on a software renderer (SwiftShader here) for WASM, saying why', async () => {
    const { page } = await openApp(app.browser, app.url);
    const panel = await trainForm(
      page,
      { Epochs: '1', 'Batch size': '64', 'Training images': '128', 'Test images': '32' },
      { 'Data set': 'synthetic' },
    );
    // The form's default: Best available.
    expect(await panel.getByLabel('Backend', { exact: true }).inputValue()).toBe('');
    await panel.getByRole('button', { name: 'Start training' }).click();
    await panel.getByRole('heading', { name: /^Trained/ }).waitFor({ timeout: 120_000 });
    await panel.getByText('Backend: WASM').click();
    const tried = await panel.locator('details.backend li').allInnerTexts();
    expect(tried).toHaveLength(3);
    expect(tried[0]).toMatch(/^WebGPU: only a software renderer here \(.*swiftshader.*\).*pick WebGPU in the form/is);
    expect(tried[1]).toMatch(/^WebGL: only a software renderer here \(.*SwiftShader.*\).*pick WebGL in the form/s);
    // WASM's layout for this machine (2 workers, each computing half of every batch), and the
    // summary says how at a glance.
    const [summary, wasmLine] = await wasmLayoutText(page);
    expect(tried[2]).toBe(wasmLine);
    expect(await panel.locator('details.backend summary').innerText()).toBe(summary);
    await panel.locator('details.backend').scrollIntoViewIfNeeded();
    await screenshot(page, 'train-backend-software');
    await page.close();
  }, 180_000);

  it('says so when the address asks for a WASM layout it cannot read, and trains with the machine’s own', async () => {
    const { page, errors } = await openApp(app.browser, `${app.url}?wasm=lots`);
    const panel = await trainForm(
      page,
      { Epochs: '1', 'Batch size': '64', 'Training images': '64', 'Test images': '32' },
      { 'Data set': 'synthetic', Backend: 'wasm' },
    );
    await panel.getByRole('button', { name: 'Start training' }).click();
    await expect
      .poll(() => page.locator('.notice.error').textContent())
      .toContain('wasm=lots in the address is not a WASM layout (workers×threads, e.g. 2x1): ignored.');
    await panel.getByRole('heading', { name: /^Trained/ }).waitFor({ timeout: 60_000 });
    expect(await panel.locator('details.backend summary').innerText()).toBe((await wasmLayoutText(page))[0]);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('a host page trains a small CNN on MNIST (WASM) to at least 97% on held-out digits, hearing progress every second', async () => {
    const host = await embedHost(app.url, 'self');
    const page = await app.browser.newPage({ viewport: { width: 900, height: 700 } });
    try {
      await page.goto(`${host.origin}/host.html`);
      await expect.poll(async () => (await hostMessages(page)).map((m) => m.type)).toContain('convscope:summary');
      await sendToApp(page, { type: 'convscope:load', model: fixture('small-mnist-cnn') });
      await expect
        .poll(async () => (await hostMessages(page)).filter((m) => m.type === 'convscope:summary').length)
        .toBe(2);
      // A bad request is refused with a reason, and nothing starts.
      await sendToApp(page, { type: 'convscope:train', config: { dataset: 'imagenet', epochs: 1, batchSize: 64 } });
      await expect.poll(async () => (await hostMessages(page)).at(-1)?.type).toBe('convscope:error');
      await sendToApp(page, {
        type: 'convscope:train',
        config: { dataset: 'mnist', epochs: 5, batchSize: 64, backend: 'wasm' },
      });
      const ended = (m: HostMessage) => m.type === 'convscope:trained' || m.type === 'convscope:error';
      await expect
        .poll(async () => (await hostMessages(page)).slice(4).some(ended), { timeout: 280_000, interval: 1000 })
        .toBe(true);
      const messages = (await hostMessages(page)).slice(4);
      const arrivals = (await hostArrivals(page)).slice(4);
      expect(messages.find((m) => m.type === 'convscope:error')).toBeUndefined();
      const trained = messages.find((m) => m.type === 'convscope:trained') as HostMessage;
      expect(trained).toMatchObject({ backend: 'wasm' });
      expect(trained['testAccuracy']).toBeGreaterThanOrEqual(0.97);
      expect(trained['seconds']).toBeGreaterThan(0);
      expect(trained['imagesPerSecond']).toBeGreaterThan(0);

      const progress = messages
        .map((m, i) => ({ m, at: arrivals[i] as number }))
        .filter((p) => p.m.type === 'convscope:progress');
      expect(progress.length).toBeGreaterThan(10);
      for (const { m } of progress) {
        expect(m).toMatchObject({ backend: 'wasm' });
        for (const key of ['epoch', 'step', 'loss', 'accuracy', 'imagesPerSecond'])
          expect(Number.isFinite(m[key]), `${key} in ${JSON.stringify(m)}`).toBe(true);
      }
      // At least once a second from the first step to the end (with a little slack for timers).
      const times = [...progress.map((p) => p.at), arrivals[messages.indexOf(trained)] as number];
      const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
      expect(Math.max(...gaps)).toBeLessThan(1500);
      // The loss fell: the last report's is well under the first's.
      expect(progress.at(-1)?.m['loss'] as number).toBeLessThan((progress[0]?.m['loss'] as number) / 2);
    } finally {
      await page.close();
      await host.close();
    }
  }, 300_000);

  it('ResNet-20 from the preset trains in the Train panel: the loss falls, the page stays responsive', async () => {
    const { page, errors } = await openApp(app.browser, app.url, 1280, 900);
    await pickPreset(page, 'resnet20-a');
    const panel = await trainForm(
      page,
      { Epochs: '3', 'Batch size': '32', 'Training images': '256', 'Test images': '128' },
      { 'Data set': 'synthetic', Backend: 'wasm' },
    );
    await expect(panel.getByText('Recipe suggested for this model.')).toBeTruthy();
    await watchLongTasks(page);
    await panel.getByRole('button', { name: 'Start training' }).click();
    await panel.getByText(/Epoch 2 of 3: step/).waitFor({ timeout: 120_000 });
    await panel.locator('.train-progress').scrollIntoViewIfNeeded();
    await screenshot(page, 'train-resnet20-running');
    await panel.getByRole('heading', { name: /^Trained/ }).waitFor({ timeout: 180_000 });
    const tasks = await longTasks(page);

    expect(await panel.locator('.train-status').innerText()).toContain('WASM');
    expect(await panel.innerText()).toContain('matches the engine');
    const rows = await panel
      .locator('.epoch-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Number((tr.querySelectorAll('td')[0] as HTMLElement).textContent)));
    expect(rows).toHaveLength(3);
    expect(rows[2] as number).toBeLessThan(rows[0] as number);
    // Training happens in the worker: no main-thread task over 50 ms while it runs.
    expect(tasks, `main-thread tasks over 50 ms: ${tasks.map((t) => t.toFixed(0)).join(', ')} ms`).toEqual([]);
    // Results, the curves and the wide pictures below fit the window: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(1280);
    await page.screenshot({ path: `${ROOT}test-results/train-resnet20-done.png`, fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});

describe('controls', () => {
  it('pause holds the run between two steps, resume goes on, stop ends it with the accuracy as it stands', async () => {
    const { page, errors } = await openApp(app.browser, app.url, 1280, 900);
    await pickPreset(page, 'fcn');
    const panel = await trainForm(
      page,
      { Epochs: '50', 'Batch size': '16' },
      { 'Data set': 'synthetic', Backend: 'wasm' },
    );
    await panel.getByRole('button', { name: 'Start training' }).click();
    const where = panel.locator('.train-progress .bars label').first();
    await where.waitFor();
    await panel.getByRole('button', { name: 'Pause' }).click();
    await panel.getByRole('button', { name: 'Resume' }).waitFor();
    // At most the step under way finishes; then the run holds still.
    await page.waitForTimeout(500);
    const held = await where.innerText();
    await page.waitForTimeout(1500);
    expect(await where.innerText()).toBe(held);
    await panel.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => where.innerText(), { timeout: 20_000 }).not.toBe(held);
    await panel.getByRole('button', { name: 'Stop' }).click();
    await panel.getByRole('heading', { name: /^Stopped/ }).waitFor({ timeout: 60_000 });
    expect(await panel.locator('.train-results').innerText()).toMatch(/test accuracy/);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('after a run', () => {
  it('shows feature maps tied to the engine shapes, downloads and saves the model, and keeps the run across a reload', async () => {
    const { page, errors } = await openApp(app.browser, app.url, 1280, 900);
    await pickPreset(page, 'fcn');
    const panel = await trainForm(
      page,
      { Epochs: '2', 'Batch size': '32', 'Training images': '256', 'Test images': '64' },
      { 'Data set': 'synthetic', Backend: 'wasm' },
    );
    await panel.getByRole('button', { name: 'Start training' }).click();
    await panel.getByRole('heading', { name: /^Trained/ }).waitFor({ timeout: 120_000 });
    const accuracy = await panel.locator('.train-results .accuracy').innerText();

    // Feature maps of a test image: one row per layer, with the shape the layer list shows.
    await panel.getByRole('button', { name: 'Feature maps of test image 1', exact: true }).click();
    const maps = panel.locator('.feature-maps li');
    await maps.first().waitFor();
    // conv1's 32 filters on the data's 32×32 images (the model leaves its input size open).
    const shown = await maps
      .filter({ hasText: /^conv1/ })
      .locator('.muted')
      .innerText();
    expect(shown).toBe('32×32×32');
    expect(await maps.count()).toBeGreaterThanOrEqual(6);

    // Download: model.json in tfjs' layers-model format and the weights, 4 bytes per parameter.
    const downloads: { name: string; path: string }[] = [];
    page.on('download', async (d) => downloads.push({ name: d.suggestedFilename(), path: (await d.path()) ?? '' }));
    await panel.getByRole('button', { name: 'Download model (TensorFlow.js)' }).click();
    await expect.poll(() => downloads.filter((d) => d.path).length).toBe(2);
    const json = downloads.find((d) => d.name === 'model.json') as { path: string };
    const bin = downloads.find((d) => d.name === 'weights.bin') as { path: string };
    expect(JSON.parse(readFileSync(json.path, 'utf8'))).toMatchObject({ format: 'layers-model' });
    const params = Number((await page.locator('.totals dd strong').first().innerText()).replace(/\D/g, ''));
    expect(readFileSync(bin.path).byteLength).toBe(params * 4);
    await expect
      .poll(() => panel.getByRole('status').allInnerTexts())
      .toContainEqual('Downloaded model.json and weights.bin.');

    await panel.getByRole('button', { name: 'Save weights in this browser' }).click();
    await panel.getByText(/^Saved the weights in this browser as “Fully_convolutional/).waitFor();
    await panel.getByRole('button', { name: 'Load saved weights' }).click();
    await panel.getByText(/Loaded the weights saved in this browser/).waitFor();

    // A reload keeps the run as a record: its accuracy, and its curves and epochs on demand.
    await page.reload();
    await page.getByRole('tab', { name: 'Train' }).click();
    const history = page.locator('.run-history');
    await history.waitFor();
    expect(await history.locator('tbody tr').count()).toBe(1);
    expect(await history.locator('tbody tr').innerText()).toContain(accuracy);
    await history.getByRole('button', { name: /^Show the run of/ }).click();
    expect(await page.locator('.epoch-table tbody tr').count()).toBe(2);
    // Its loss curve is drawn again: a line through every kept step.
    const trend = await page.locator('.train-chart .panel.loss path.trend').getAttribute('d');
    expect(trend?.split('L').length).toBeGreaterThan(4);
    await page.locator('.train-results').getByText('A run kept in this browser').waitFor();
    await page.screenshot({ path: `${ROOT}test-results/train-kept-run.png`, fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await history.getByRole('button', { name: /^Forget the run of/ }).click();
    expect(await page.locator('.run-history').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});

describe('CIFAR-10 in the Train panel', () => {
  it('refuses a file that is not the archive, saying what it is, and keeps the form', async () => {
    const { page } = await openApp(app.browser, app.url, 1280, 900);
    const panel = await trainForm(page, { Epochs: '1' }, { 'Data set': 'cifar10', Backend: 'wasm' });
    await panel.getByLabel(/^CIFAR-10 archive/).setInputFiles({
      name: 'cifar-10-binary.tar.gz',
      mimeType: 'application/gzip',
      buffer: Buffer.from('<!doctype html><html><body>Not found</body></html>'),
    });
    await panel.getByRole('button', { name: 'Start training' }).click();
    const alert = panel.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.innerText()).toMatch(/web page.*not.*archive|HTML/i);
    // Nothing was lost: the settings are as they were, and a run can start again.
    expect(await panel.getByLabel('Epochs', { exact: true }).inputValue()).toBe('1');
    await panel.getByRole('button', { name: 'Start training' }).waitFor();
    await screenshot(page, 'train-cifar-wrong-file');
    await page.close();
  }, 120_000);

  it.skipIf(!existsSync(cifarSubset))(
    'reads the real archive in the browser with progress, then trains ResNet-20 on it',
    async () => {
      const { page, errors } = await openApp(app.browser, app.url, 1280, 900);
      await pickPreset(page, 'resnet20-a');
      const panel = await trainForm(
        page,
        { Epochs: '1', 'Batch size': '32', 'Training images': '128', 'Test images': '128' },
        { 'Data set': 'cifar10', Backend: 'wasm' },
      );
      await panel.getByLabel(/^CIFAR-10 archive/).setInputFiles(cifarSubset);
      await panel.getByText('Using cifar-10-binary-subset.tar.gz.').waitFor();
      // Every text the progress line shows, as it changes: reading a local file can take well
      // under a second, too short for a poll to be sure to see it.
      await page.evaluate(() => {
        const w = window as unknown as { phases: string[] };
        w.phases = [];
        new MutationObserver(() => {
          const text = document.querySelector('.train-status .phase span')?.textContent;
          if (text && text !== w.phases.at(-1)) w.phases.push(text);
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      await panel.getByRole('button', { name: 'Start training' }).click();
      await panel.getByRole('heading', { name: /^Trained/ }).waitFor({ timeout: 180_000 });
      const phases = await page.evaluate(() => (window as unknown as { phases: string[] }).phases);
      const reading = phases.filter((t) => /^Reading CIFAR-10: [\d.]+ (bytes|kB|MB) of 57\.8 MB \(\d+%\)$/.test(t));
      expect(reading.length, phases.join(' | ')).toBeGreaterThanOrEqual(2);
      expect(reading.at(-1)).toBe('Reading CIFAR-10: 57.8 MB of 57.8 MB (100%)');
      expect(await panel.innerText()).toContain('CIFAR-10');
      const classes = await panel.locator('.confusion tbody th').allInnerTexts();
      expect(classes).toEqual(
        ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'].map(
          (c, i) => `${i + 1}. ${c}`,
        ),
      );
      expect(errors).toEqual([]);
      await page.close();
    },
    240_000,
  );
});
