import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallCifar } from '../train/data/archives';
import { dribble, slowServer, type SlowServer } from '../train/data/slow-server';
import { embedHost, hostMessages, openApp, pickPreset, sendToApp, type HostMessage } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

/**
 * CIFAR-10 from an address that misbehaves, in the Train panel and through the embed API: a
 * server on this machine that never answers, stops halfway or sends slowly (CORS open, as a
 * data host would be).
 */
const app = useAppServer();
/** A CIFAR-10 archive in the official layout: 50 training and 50 test images, about 308 kB. */
let archive: Uint8Array;
let server: SlowServer;
/** The archive's size as the panel writes it ("307.8 kB"). */
const size = () => `${(archive.length / 1000).toFixed(1)} kB`;

beforeAll(async () => {
  archive = await smallCifar(1, 50);
  server = await slowServer({
    '/never': () => undefined,
    '/stalls': dribble(() => server, archive, { chunk: 20_000, everyMs: 50, stopAfter: 100_000 }),
    '/slow': dribble(() => server, archive, { chunk: 16_384, everyMs: 250 }),
  });
});
afterAll(() => server.close());

/** The fully convolutional preset (any image size, 10 classes) in the Train panel, set for CIFAR-10 at `url`. */
async function cifarForm(page: Page, url: string) {
  await pickPreset(page, 'fcn');
  await page.getByRole('tab', { name: 'Train' }).click();
  const panel = page.locator('.train-panel');
  await panel.getByLabel('Data set', { exact: true }).selectOption('cifar10');
  await panel.getByLabel('Backend', { exact: true }).selectOption('wasm');
  for (const [label, value] of Object.entries({ Epochs: '1', 'Batch size': '16' }))
    await panel.getByLabel(label, { exact: true }).fill(value);
  await panel.getByLabel('or its address', { exact: true }).fill(url);
  return panel;
}

/** Sets the synthetic data set and trains one short epoch: the panel takes a new run and finishes it. */
async function trainsAgain(panel: ReturnType<Page['locator']>) {
  await panel.getByLabel('Data set', { exact: true }).selectOption('synthetic');
  await panel.getByLabel('Training images', { exact: true }).fill('64');
  await panel.getByLabel('Test images', { exact: true }).fill('32');
  await panel.getByRole('button', { name: 'Start training' }).click();
  await panel.getByRole('heading', { name: /^Trained/ }).waitFor({ timeout: 90_000 });
}

const requestsTo = (path: string) => server.seen.filter((s) => s.path === path);

describe('CIFAR-10 from an address that never answers', () => {
  it('the panel says it waits for the server; Stop ends the download at once and a new run trains', async () => {
    const { page, errors } = await openApp(app.browser, app.url, 1280, 900);
    const before = requestsTo('/never').length;
    const panel = await cifarForm(page, `${server.origin}/never`);
    await panel.getByRole('button', { name: 'Start training' }).click();
    const phase = panel.locator('.train-status .phase');
    // The worker's first start (TensorFlow.js, the backends) comes first.
    await expect
      .poll(() => phase.innerText(), { timeout: 60_000 })
      .toBe(`Downloading CIFAR-10 from ${server.origin}/never — waiting for the server…`);
    await expect.poll(() => requestsTo('/never').length).toBe(before + 1);
    // Busy, with no end to show yet.
    expect(await phase.locator('progress').getAttribute('value')).toBeNull();
    await screenshot(page, 'train-download-waiting');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.waitForTimeout(1500);
    const asked = Date.now();
    await panel.getByRole('button', { name: 'Stop' }).click();
    await panel.getByRole('status').filter({ hasText: 'Stopped the download: nothing was trained.' }).waitFor();
    const stopped = Date.now() - asked;
    console.log(`Stop → the panel says stopped: ${stopped} ms`);
    expect(stopped).toBeLessThan(2000);
    // The connection is dropped, not left open.
    await expect.poll(() => requestsTo('/never').at(-1)?.closedAt, { timeout: 2000 }).not.toBeNull();
    expect(await panel.getByRole('alert').count()).toBe(0);
    await screenshot(page, 'train-download-stopped');
    await trainsAgain(panel);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('a host’s convscope:stop ends the download, and its next convscope:train is taken and trains', async () => {
    const host = await embedHost(app.url, 'self');
    const page = await app.browser.newPage({ viewport: { width: 900, height: 700 } });
    try {
      await page.goto(`${host.origin}/host.html`);
      await expect.poll(async () => (await hostMessages(page)).map((m) => m.type)).toContain('convscope:summary');
      const before = requestsTo('/never').length;
      const train = (config: Record<string, unknown>) =>
        sendToApp(page, { type: 'convscope:train', config: { epochs: 1, batchSize: 32, backend: 'wasm', ...config } });
      await train({ dataset: 'cifar10', url: `${server.origin}/never` });
      await expect.poll(() => requestsTo('/never').length, { timeout: 30_000 }).toBe(before + 1);
      const heard = (await hostMessages(page)).length;
      const asked = Date.now();
      await sendToApp(page, { type: 'convscope:stop' });
      await expect.poll(() => requestsTo('/never').at(-1)?.closedAt, { timeout: 5000 }).not.toBeNull();
      console.log(`convscope:stop → connection closed: ${(requestsTo('/never').at(-1)?.closedAt ?? 0) - asked} ms`);
      await train({ dataset: 'synthetic', maxTrainSamples: 64, maxTestSamples: 32 });
      const ended = (m: HostMessage) => m.type === 'convscope:trained' || m.type === 'convscope:error';
      await expect
        .poll(async () => (await hostMessages(page)).slice(heard).some(ended), { timeout: 90_000 })
        .toBe(true);
      const after = (await hostMessages(page)).slice(heard);
      expect(after.filter((m) => m.type === 'convscope:error')).toEqual([]);
      expect(after.find((m) => m.type === 'convscope:trained')).toMatchObject({ backend: 'wasm' });
    } finally {
      await page.close();
      await host.close();
    }
  }, 120_000);
});

describe('CIFAR-10 from an address that stops sending', () => {
  it('ends the run with an error saying where and after how much; training starts again', async () => {
    // ?stall=2: give up after 2 s without data (30 s unless the address says).
    const { page, errors } = await openApp(app.browser, `${app.url}?stall=2`, 1280, 900);
    const panel = await cifarForm(page, `${server.origin}/stalls`);
    const asked = Date.now();
    await panel.getByRole('button', { name: 'Start training' }).click();
    const alert = panel.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    console.log(`Start → stall error: ${Date.now() - asked} ms (stall time 2 s)`);
    expect(await alert.innerText()).toBe(
      `The CIFAR-10 download stalled: no data for 2 s from ${server.origin}/stalls, after 100.0 kB of ${size()}. ` +
        'Check the connection and start again, or download the file yourself and choose it.',
    );
    await expect.poll(() => requestsTo('/stalls').at(-1)?.closedAt, { timeout: 2000 }).not.toBeNull();
    // The form is as it was.
    expect(await panel.getByLabel('or its address', { exact: true }).inputValue()).toBe(`${server.origin}/stalls`);
    await alert.scrollIntoViewIfNeeded();
    await screenshot(page, 'train-download-stalled');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await trainsAgain(panel);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('CIFAR-10 from a slow address', () => {
  it('shows the bytes and the share received as they come, then trains on what came', async () => {
    const { page, errors } = await openApp(app.browser, app.url, 1280, 900);
    const panel = await cifarForm(page, `${server.origin}/slow`);
    await panel.getByRole('button', { name: 'Start training' }).click();
    const phase = panel.locator('.train-status .phase');
    const line = new RegExp(
      `^Downloading CIFAR-10 from ${server.origin}/slow: ([\\d.]+) kB of ${size().replace('.', '\\.')} \\((\\d+)%\\)$`,
    );
    // Watch the line as the bytes come: every ~250 ms for 19 chunks.
    const shown: { text: string; value: number }[] = [];
    await expect
      .poll(
        async () => {
          const text = await phase.innerText().catch(() => '');
          const value = Number(
            await phase
              .locator('progress')
              .getAttribute('value')
              .catch(() => null),
          );
          if (line.test(text) && shown.at(-1)?.text !== text) shown.push({ text, value });
          if (shown.length === 3) await screenshot(page, 'train-download-progress');
          return shown.length;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBeGreaterThanOrEqual(5);
    for (const { text, value } of shown) {
      const [, kb, percent] = line.exec(text) as RegExpExecArray;
      // The bar and the words agree: the share of the archive received.
      expect(Math.floor(value * 100)).toBe(Number(percent));
      expect(Math.abs(Number(kb) / (archive.length / 1000) - value)).toBeLessThan(0.001);
    }
    const values = shown.map((s) => s.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    await panel.getByRole('heading', { name: /^Trained/ }).waitFor({ timeout: 90_000 });
    expect(await panel.innerText()).toContain('CIFAR-10 (50 training images)');
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);
});

describe('a relative CIFAR-10 address', () => {
  it('is resolved against the app’s address: shown in the form, fetched from there', async () => {
    const { page } = await openApp(app.browser, `${app.url}?from=test`, 1280, 900);
    const fetched: string[] = [];
    await page.route('**/*.tar.gz', (route) => {
      fetched.push(route.request().url());
      const found = route.request().url().endsWith('/data/cifar-e2e.tar.gz');
      return route.fulfill(
        found
          ? { status: 200, body: Buffer.from(archive), headers: { 'Content-Type': 'application/gzip' } }
          : { status: 404, body: 'not found' },
      );
    });
    const panel = await cifarForm(page, 'data/cifar-e2e.tar.gz');
    const doc = panel.locator('.cifar-source .field-doc');
    expect(await doc.innerText()).toBe(`Downloads from ${app.url}data/cifar-e2e.tar.gz.`);
    await panel.getByRole('button', { name: 'Start training' }).click();
    await panel.getByRole('heading', { name: /^Trained/ }).waitFor({ timeout: 90_000 });
    expect(fetched).toEqual([`${app.url}data/cifar-e2e.tar.gz`]);
    expect(await panel.innerText()).toContain('CIFAR-10 (50 training images)');

    // From the root of the app's origin.
    await panel.getByLabel('or its address', { exact: true }).fill('/x/cifar.tar.gz');
    const origin = new URL(app.url).origin;
    expect(await doc.innerText()).toBe(`Downloads from ${origin}/x/cifar.tar.gz.`);
    await panel.getByRole('button', { name: 'Start training' }).click();
    const alert = panel.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.innerText()).toBe(
      `Could not download ${origin}/x/cifar.tar.gz: the server answered 404 Not Found.`,
    );
    expect(fetched.at(-1)).toBe(`${origin}/x/cifar.tar.gz`);

    // Not a web address: said in the form and when starting; nothing is fetched.
    await panel.getByLabel('or its address', { exact: true }).fill('javascript:alert(1)');
    const refusal =
      '“javascript:alert(1)” is a javascript: address; the CIFAR-10 archive is downloaded over http or https only.';
    expect(await doc.innerText()).toBe(refusal);
    expect(await panel.getByLabel('or its address', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await panel.getByRole('button', { name: 'Start training' }).click();
    await expect.poll(() => alert.innerText()).toBe(refusal);
    expect(fetched).toHaveLength(2);
    await page.close();
  }, 150_000);
});

describe('a relative CIFAR-10 address from an embedding host', () => {
  it('is resolved against the app’s address, not the host’s, and trains; a javascript: one is refused', async () => {
    const host = await embedHost(app.url, 'self');
    const page = await app.browser.newPage({ viewport: { width: 900, height: 700 } });
    const fetched: string[] = [];
    await page.route('**/*.tar.gz', (route) => {
      fetched.push(route.request().url());
      return route.fulfill({
        status: 200,
        body: Buffer.from(archive),
        headers: { 'Content-Type': 'application/gzip' },
      });
    });
    try {
      await page.goto(`${host.origin}/host.html`);
      await expect.poll(async () => (await hostMessages(page)).map((m) => m.type)).toContain('convscope:summary');
      const train = (config: Record<string, unknown>) =>
        sendToApp(page, { type: 'convscope:train', config: { epochs: 1, batchSize: 16, backend: 'wasm', ...config } });
      await train({ dataset: 'cifar10', url: 'javascript:alert(1)' });
      await expect
        .poll(async () =>
          (await hostMessages(page)).filter((m) => m.type === 'convscope:error').map((m) => m['message']),
        )
        .toEqual([expect.stringMatching(/^convscope:train: config\.url: must be an http\(s\) address/)]);
      await train({ dataset: 'cifar10', url: 'data/cifar-e2e.tar.gz' });
      await expect
        .poll(async () => (await hostMessages(page)).some((m) => m.type === 'convscope:trained'), { timeout: 90_000 })
        .toBe(true);
      // The app is at app.url; the host page is on another port: the address is the app's.
      expect(fetched).toEqual([`${app.url}data/cifar-e2e.tar.gz`]);
      expect((await hostMessages(page)).filter((m) => m.type === 'convscope:error')).toHaveLength(1);
    } finally {
      await page.close();
      await host.close();
    }
  }, 120_000);
});
