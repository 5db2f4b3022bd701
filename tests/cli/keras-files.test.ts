import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run';
import { h5python, smallCnn, tfjsWeights, writeKerasFile } from '../io/python/keras-files';

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'convscope-cli-keras-'));
let model: tf.LayersModel;
beforeAll(async () => {
  await tf.setBackend('cpu');
  model = smallCnn();
});

const config = () => {
  const { class_name, config } = model.toJSON(null, false) as unknown as { class_name: string; config: unknown };
  return { class_name, config };
};

describe.skipIf(!h5python)('convscope summary / export on Keras .h5 files', () => {
  it('summary: the totals and trainable split equal tfjs-layers’ for the model in the file', async () => {
    const path = writeKerasFile('cli.h5', 'h5', config(), tfjsWeights(model, false));
    const { code, stdout, stderr } = await cli('summary', path, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    const trainable = model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    expect(summary).toMatchObject({
      totalParams: model.countParams(),
      trainableParams: trainable,
      nonTrainableParams: model.countParams() - trainable,
    });
    const text = await cli('summary', path, '--notation', 'keras');
    expect(text.stdout).toContain(`Total params: ${model.countParams().toLocaleString('en-US')}`);
  });

  it('weights whose shapes differ from the architecture are named on stderr; the summary still prints', async () => {
    const layers = tfjsWeights(model, false).map((l) =>
      l.name === 'conv1' ? { ...l, weights: [{ name: 'conv1/kernel:0', shape: [5, 5, 3, 4] }, l.weights[1]!] } : l,
    );
    const { code, stdout, stderr } = await cli('summary', writeKerasFile('cli-wrong.h5', 'h5', config(), layers));
    expect(code).toBe(0);
    expect(stdout).toContain('Total params');
    expect(stderr).toContain('model_weights/conv1: the file holds 5×5×3×4, 4; the layer as read needs 3×3×3×4, 4.');
  });

  it('export reads .keras files the same way', async () => {
    const path = writeKerasFile('cli.keras', 'keras', config(), tfjsWeights(model, false));
    const { code, stdout } = await cli('export', path, '--to', 'pytorch');
    expect(code).toBe(0);
    expect(stdout).toContain('self.conv1 = nn.Conv2d(3, 4, kernel_size=(3, 3)');
  });

  it('a cut-off .h5 exits 2 with a message and no stack trace', async () => {
    const whole = readFileSync(writeKerasFile('cli-cut.h5', 'h5', config(), tfjsWeights(model, false)));
    const path = join(dir, 'cut.h5');
    writeFileSync(path, whole.subarray(0, 1200));
    const { code, stderr } = await cli('summary', path);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^convscope: cannot read .*cut\.h5:\n {2}Keras \.h5 \(HDF5\): the HDF5 file cannot be read/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('size limits by what the file is', () => {
  it('an HDF5 file over the 16 MB JSON limit is read (and a corrupt one reported), a 50 MB JSON one is not', async () => {
    const path = join(dir, 'big.h5');
    const big = Buffer.alloc(20 * 2 ** 20, 0);
    big.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    writeFileSync(path, big);
    const { code, stderr } = await cli('summary', path);
    expect(code).toBe(2);
    expect(stderr).toContain('Keras .h5 (HDF5): the HDF5 file cannot be read');
  });
});
