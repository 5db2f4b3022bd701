/**
 * ResNet-20 (option A), batch 64, 32×32×3, trained in headless Chromium by the app's own training
 * worker on each backend that starts there (WebGPU and WebGL run on SwiftShader, a software
 * renderer, on machines without a GPU): the first step's time and training images/s over the
 * steps after it. Run by `npm run bench:train` after the Node table (tests/bench/train.bench.ts).
 *
 *   npx tsx tests/bench/train-browser.bench.ts [--steps 3]
 */
import { launchBrowser, startApp } from '../e2e/harness';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const STEPS = arg('--steps', 3);
const BATCH = 64;

type Report = { type: string; [key: string]: unknown };

const { url, server } = await startApp();
const browser = await launchBrowser();
const page = await browser.newPage();
await page.goto(url);
await page.locator('.rows').first().waitFor();

async function run(backend: string, steps: number): Promise<Report[]> {
  return page.evaluate(`(async () => {
    const { TrainerClient } = await import('/src/train/client.ts');
    const { presetModel } = await import('/src/presets/index.ts');
    const { DEFAULT_CONFIG } = await import('/src/train/loop/config.ts');
    return await new Promise((resolve) => {
      const seen = [];
      const client = new TrainerClient((m) => {
        if (['backend', 'step', 'error'].includes(m.type)) seen.push(m);
        if (m.type === 'error' || (m.type === 'step' && m.step === ${steps})) {
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
      });
    });
  })()`);
}

console.log(`\nResNet-20 (option A), batch ${BATCH}, in headless Chromium (the app's worker), ${STEPS} steps each`);
console.log('backend   train img/s   1st step s   note');
for (const backend of ['webgpu', 'webgl', 'wasm']) {
  const reports = await run(backend, backend === 'wasm' ? STEPS * 2 : STEPS);
  const chosen = reports.find((r) => r.type === 'backend');
  const error = reports.find((r) => r.type === 'error');
  const steps = reports.filter((r) => r.type === 'step');
  const tried = (chosen?.['tried'] as { name: string; ok: boolean; reason?: string }[] | undefined) ?? [];
  const refused = tried.find((t) => t.name === backend && !t.ok);
  if (error || refused || chosen?.['name'] !== backend || steps.length < 2) {
    console.log(
      `${backend.padEnd(9)} —             —            ${String(refused?.reason ?? error?.['message'] ?? 'did not run')}`,
    );
    continue;
  }
  const first = steps[0] as Report;
  const last = steps.at(-1) as Report;
  const rate =
    (BATCH * ((last['step'] as number) - (first['step'] as number))) /
    ((last['seconds'] as number) - (first['seconds'] as number));
  console.log(
    `${backend.padEnd(9)} ${rate.toFixed(1).padStart(11)}   ${(first['firstStepSeconds'] as number).toFixed(2).padStart(10)}`,
  );
}
await browser.close();
await server.close();
