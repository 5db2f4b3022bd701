/**
 * ResNet-20 (option A), batch 64, 32×32×3, trained in headless Chromium by the app's own training
 * worker on each backend that starts there (WebGPU and WebGL run on SwiftShader, a software
 * renderer, on machines without a GPU): the first step's time and training images/s over the
 * steps after it. WASM runs three times: with the layout the app picks for this machine (2
 * workers sharing each batch) in a cross-origin isolated page (the dev server's headers) and in
 * one that is not, then as one worker on tfjs' threaded build with every thread threadsFor gives,
 * to compare. Run by `npm run bench:train` after the Node table (tests/bench/train.bench.ts).
 *
 *   npx tsx tests/bench/train-browser.bench.ts [--steps 3] [--only wasm,webgpu]
 */
import type { Page } from 'playwright-core';
import { threadsFor } from '../../src/train/backend/wasm/threads';
import type { BackendAttempt, WasmLayoutAsked } from '../../src/train/protocol';
import { launchBrowser, startApp } from '../e2e/harness';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const STEPS = arg('--steps', 3);
const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '').split(',') : null;
const BATCH = 64;

type Report = { type: string; [key: string]: unknown };

const { url, server } = await startApp();
// The same app from a server that does not isolate the page: WASM on one thread.
const plain = await startApp({ 'Cross-Origin-Embedder-Policy': 'unsafe-none' });
const browser = await launchBrowser();

async function open(at: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(at);
  await page.locator('.rows').first().waitFor();
  return page;
}
const isolatedPage = await open(url);
const plainPage = await open(plain.url);

async function run(page: Page, backend: string, steps: number, wasm?: WasmLayoutAsked): Promise<Report[]> {
  return page.evaluate(`(async () => {
    const { TrainerClient } = await import('/src/train/client.ts');
    const { presetModel } = await import('/src/presets/index.ts');
    const { DEFAULT_CONFIG } = await import('/src/train/loop/config.ts');
    return await new Promise((resolve) => {
      const seen = [];
      const client = new TrainerClient((m) => {
        if (['backend', 'step', 'error'].includes(m.type)) seen.push(m);
        // The synthetic set has 32 batches of 64: a longer run ends with its epoch.
        if (m.type === 'error' || m.type === 'done' || (m.type === 'step' && m.step === ${steps})) {
          client.terminate();
          resolve(seen);
        }
      });
      client.send({
        type: 'start',
        model: presetModel('resnet20-a'),
        config: { ...DEFAULT_CONFIG, epochs: 1, batchSize: ${BATCH}, maxTrainSamples: ${BATCH * steps}, maxTestSamples: ${BATCH} },
        data: { dataset: 'synthetic' },
        backend: '${backend}',
        memoryBudget: 2 ** 31,
        ${wasm ? `wasm: ${JSON.stringify(wasm)},` : ''}
      });
    });
  })()`);
}

console.log(
  `\nResNet-20 (option A), batch ${BATCH}, in headless Chromium (the app's worker), ${STEPS} steps each (WASM ${STEPS * 4})`,
);
console.log('backend   train img/s   1st step s   page      note');
// WASM first: SwiftShader keeps compiling and running on both cores for a while after a
// WebGPU or WebGL run, which took a WASM run after it from 110 to 60 images/s.
const cores = await isolatedPage.evaluate(() => navigator.hardwareConcurrency);
const rows: [string, Page, WasmLayoutAsked?][] = [
  ['wasm', isolatedPage],
  ['wasm', plainPage],
  ['wasm', isolatedPage, { workers: 1, threads: threadsFor(cores) }],
  ['webgpu', isolatedPage],
  ['webgl', isolatedPage],
];
for (const [backend, page, wasm] of rows.filter(([b]) => !ONLY || ONLY.includes(b))) {
  const reports = await run(page, backend, backend === 'wasm' ? STEPS * 4 : STEPS, wasm);
  const chosen = reports.find((r) => r.type === 'backend');
  const error = reports.find((r) => r.type === 'error');
  const steps = reports.filter((r) => r.type === 'step');
  const tried = (chosen?.['tried'] as BackendAttempt[] | undefined) ?? [];
  const attempt = tried.find((t) => t.name === backend);
  if (error || !attempt?.ok || chosen?.['name'] !== backend || steps.length < 2) {
    console.log(
      `${backend.padEnd(9)} —             —            —         ${String(attempt?.reason ?? error?.['message'] ?? 'did not run')}`,
    );
    continue;
  }
  const first = steps[0] as Report;
  const last = steps.at(-1) as Report;
  const rate =
    (BATCH * ((last['step'] as number) - (first['step'] as number))) /
    ((last['seconds'] as number) - (first['seconds'] as number));
  const seconds = (first['firstStepSeconds'] as number).toFixed(2);
  const where = page === plainPage ? 'plain' : 'isolated';
  console.log(
    `${backend.padEnd(9)} ${rate.toFixed(1).padStart(11)}   ${seconds.padStart(10)}   ${where.padEnd(9)} ${attempt.note ?? ''}`,
  );
}
await browser.close();
await server.close();
await plain.server.close();
