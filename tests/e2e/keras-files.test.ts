import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { h5python, smallCnn, tfjsWeights, writeKerasFile } from '../io/python/keras-files';
import { openApp } from './app';
import { screenshot, useAppServer } from './harness';

const app = useAppServer();
let h5 = '';
let keras = '';
/** PyTorch notation (the default) shows trainable parameters, and batch-norm statistics as buffers. */
let totals = '';
beforeAll(async () => {
  if (!h5python) return;
  await tf.setBackend('cpu');
  const model = smallCnn();
  const { class_name, config } = model.toJSON(null, false) as unknown as { class_name: string; config: unknown };
  h5 = writeKerasFile('e2e.h5', 'h5', { class_name, config }, tfjsWeights(model));
  keras = writeKerasFile('e2e.keras', 'keras', { class_name, config }, tfjsWeights(model));
  const count = (ws: tf.LayerVariable[]) =>
    ws.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
  totals = `Parameters${count(model.trainableWeights)}${count(model.nonTrainableWeights)} in buffers`;
});

describe.skipIf(!h5python)('Keras files in the app', () => {
  it('opens a .h5 by the Open… dialog and a .keras by drop; a corrupt one is a notice and the model stays', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'small_cnn.h5', mimeType: 'application/x-hdf5', buffer: readFileSync(h5) });
    await expect.poll(() => page.locator('.model-title').textContent()).toBe('small_cnn');
    await expect.poll(() => page.locator('.totals').textContent()).toContain(totals);
    expect(await page.locator('.notice').first().textContent()).toContain('Opened small_cnn.h5.');
    await screenshot(page, 'keras-h5-opened');

    await page.getByRole('button', { name: 'New' }).click();
    await expect.poll(() => page.locator('.model-title').textContent()).not.toBe('small_cnn');
    const drop = async (name: string, bytes: number[]) =>
      page.evaluate(
        ([fileName, data]) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([new Uint8Array(data)], fileName));
          window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        },
        [name, bytes] as const,
      );
    await drop('small_cnn.keras', [...readFileSync(keras)]);
    await expect.poll(() => page.locator('.model-title').textContent()).toBe('small_cnn');
    await expect.poll(() => page.locator('.totals').textContent()).toContain(totals);

    await drop('broken.h5', [...readFileSync(h5).subarray(0, 1500)]);
    await expect
      .poll(() => page.locator('.notice.error').textContent())
      .toMatch(/broken\.h5: Keras \.h5 \(HDF5\): the HDF5 file cannot be read.*The current model is kept/);
    expect(await page.locator('.model-title').textContent()).toBe('small_cnn');
    await screenshot(page, 'keras-h5-broken');
    expect(errors).toEqual([]);
    await page.close();
  });
});
