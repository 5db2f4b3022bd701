/**
 * Accuracy, same recipe side by side: ResNet-20 (option A) trained on the shared 10,000-image
 * CIFAR-10 subset by the tab's own training loop (tfjs, WASM backend with our kernels, in Node)
 * and by the exported PyTorch model and training script (python3-torch), with the same recipe:
 * SGD with Nesterov momentum 0.9, weight decay 5e-4, one-cycle to 0.2, label smoothing 0.1,
 * crops and flips, batch 128. Prints each epoch's test accuracy (all 10,000 test images) for
 * both and the difference at the end. The tab trains each batch in 2 shares on a machine with 2
 * cores or more (2 workers, batch norm over each share: src/train/loop/shares.ts); so does this
 * run, the second share computed in turn in this process (`--shares 1`: the whole batch at once).
 *
 *   npm run bench:train:accuracy [-- --epochs 5] [-- --samples N] [-- --shares 1]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { toPyTorch } from '../../src/io/export/pytorch';
import { toTrainScript } from '../../src/io/export/train-script';
import { presetModel } from '../../src/presets/index';
import { chooseBackend } from '../../src/train/backend/choose';
import { loadCifar10 } from '../../src/train/data';
import { batcher } from '../../src/train/load-data';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/train/loop/config';
import { train } from '../../src/train/loop/train';
import { buildModel } from '../../src/train/model/build';
import { endsInSoftmax } from '../../src/train/run-checks';
import { findPython } from '../io/python/find-python';
import { LocalHelpers } from '../train/loop/local-helpers';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const EPOCHS = arg('--epochs', 5);
/** A quick check of the bench itself: train on the first N images only (both sides), test on N. */
const SAMPLES = arg('--samples', 0);
const SHARES = arg('--shares', 2);
const archive =
  process.env['CONVSCOPE_CIFAR10'] ??
  fileURLToPath(new URL('../../../shared/data/cifar-10-binary-subset.tar.gz', import.meta.url));
if (!existsSync(archive)) {
  console.error(`No CIFAR-10 archive at ${archive}: set CONVSCOPE_CIFAR10 to cifar-10-binary(-subset).tar.gz.`);
  process.exit(1);
}
const config: TrainConfig = {
  ...DEFAULT_CONFIG,
  epochs: EPOCHS,
  batchSize: 128,
  ...(SAMPLES ? { maxTrainSamples: SAMPLES, maxTestSamples: SAMPLES } : {}),
};
const analysis = analyzeModel(presetModel('resnet20-a'));

async function tfjsRun(): Promise<number[]> {
  const backend = await chooseBackend('wasm');
  if (backend.name !== 'wasm') throw new Error(`WASM did not start: ${JSON.stringify(backend.tried)}`);
  const data = await loadCifar10(new Uint8Array(readFileSync(archive)));
  const built = buildModel(analysis, { seed: config.seed });
  if (!built.ok) throw new Error(built.error);
  const accuracies: number[] = [];
  const probabilities = endsInSoftmax(analysis);
  // The helpers' models: their weights come with every step.
  const helperModels = Array.from({ length: SHARES - 1 }, () => {
    const helper = buildModel(analysis, {});
    if (!helper.ok) throw new Error(helper.error);
    return helper.model;
  });
  const shape = [...data.shape];
  const helpers = helperModels.length ? new LocalHelpers(helperModels, shape, config, probabilities) : undefined;
  const result = await train(
    built.model,
    data,
    config,
    batcher(data, config.seed),
    {
      onStep: () => {},
      onEpoch: (e) => {
        accuracies.push(e.testAccuracy);
        console.log(
          `  tfjs    epoch ${e.epoch}/${EPOCHS}  loss ${e.trainLoss.toFixed(4)}  train acc ${(100 * e.trainAccuracy).toFixed(1)}%  test acc ${(100 * e.testAccuracy).toFixed(1)}%  ${e.imagesPerSecond.toFixed(0)} images/s`,
        );
      },
      proceed: async () => 'go',
    },
    probabilities,
    helpers,
  );
  built.model.dispose();
  helperModels.forEach((m) => m.dispose());
  console.log(`  tfjs    ${result.seconds.toFixed(0)} s, tensors left ${tf.memory().numTensors}`);
  return accuracies;
}

function torchRun(): number[] | string {
  const python = findPython(['torch', 'torchvision']);
  if (!python) return 'PyTorch not installed (Debian: sudo apt-get install python3-torch python3-torchvision)';
  const model = toPyTorch(analysis);
  const script = toTrainScript(analysis);
  if (!model.ok || !script.ok) throw new Error('export failed');
  const dir = mkdtempSync(join(tmpdir(), 'convscope-accuracy-'));
  writeFileSync(join(dir, 'model.py'), model.value.code);
  writeFileSync(join(dir, 'train.py'), script.value);
  const output = execFileSync(
    python,
    [
      'train.py',
      '--cifar-archive',
      archive,
      '--epochs',
      String(EPOCHS),
      '--batch-size',
      String(config.batchSize),
      '--lr',
      String(config.learningRate),
      '--weight-decay',
      String(config.weightDecay),
      '--label-smoothing',
      String(config.labelSmoothing),
      '--schedule',
      'onecycle',
      '--workers',
      '0',
      ...(SAMPLES ? ['--max-train-samples', String(SAMPLES), '--max-test-samples', String(SAMPLES)] : []),
    ],
    { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const epochs = [...output.matchAll(/^epoch .*test acc ([\d.]+)%.*$/gm)];
  for (const m of epochs) console.log(`  pytorch ${m[0]}`);
  return epochs.map((m) => Number(m[1]) / 100);
}

console.log(`ResNet-20 (option A) on ${archive}, ${EPOCHS} epochs, batch ${config.batchSize}, the same recipe:`);
const torch = torchRun();
const ours = await tfjsRun();
const last = (xs: number[]) => (xs.at(-1) ?? NaN) * 100;
console.log('\nframework                test accuracy after each epoch');
console.log(
  `tfjs (WASM, ${SHARES} share${SHARES > 1 ? 's' : ''})     ${ours.map((a) => `${(a * 100).toFixed(1)}%`).join('  ')}`,
);
if (typeof torch === 'string') console.log(`PyTorch 1.13              ${torch}`);
else {
  console.log(`PyTorch 1.13 (CPU)        ${torch.map((a) => `${(a * 100).toFixed(1)}%`).join('  ')}`);
  const gap = last(ours) - last(torch);
  console.log(`difference at the end: ${gap >= 0 ? '+' : ''}${gap.toFixed(1)} points (target: within 2)`);
}
