import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { h5python, writeKerasFile } from '../io/python/keras-files';
import { keras2Config, knownCnn, knownWeights } from '../io/python/known-kernels';
import { openApp, selectLayer, typeField } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();
let h5 = '';
beforeAll(async () => {
  if (!h5python) return;
  await tf.setBackend('cpu');
  const model = knownCnn();
  h5 = writeKerasFile('weights-e2e.h5', 'h5', keras2Config(model), knownWeights(model));
});

/** A file name that would be markup if it reached innerHTML. */
const NAME = 'known <img src=x onerror=alert(1)>.h5';

async function openWeights(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Weights' }).click();
  await page.locator('#figure-panel').scrollIntoViewIfNeeded();
}

describe.skipIf(!h5python)('the Weights view shows a file’s trained kernels', () => {
  it('reads conv1’s values from a .h5 opened by Open…, and says when an edit makes them not fit', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: NAME, mimeType: 'application/x-hdf5', buffer: readFileSync(h5) });
    await expect.poll(() => page.locator('.model-title').textContent()).toBe('known_cnn');
    await selectLayer(page, 'conv1');
    await openWeights(page);

    const source = page.locator('.weights-source');
    await expect.poll(() => source.textContent()).toBe(`Trained weights from ${NAME} (values from 0 to 3222)`);
    expect(await page.locator('#figure-panel img').count()).toBe(0);
    expect(await page.locator('#figure-panel .figure-caption').textContent()).toContain('as the model file holds it');
    // The legend's ends are the kernel's largest magnitude (3222 = filter 4, channel 3, tap (2, 2)).
    const legend = page.locator('.weights-legend');
    expect(await legend.textContent()).toContain('weight value in the file');
    expect(await legend.textContent()).toContain('+3222');

    // Filter 3, channel 2 holds 2·1000 + 1·100 + 10y + x.
    const readout = page.locator('#weights-readout');
    await page.getByRole('group', { name: /Weight grid of conv1/ }).focus();
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowRight']) await page.keyboard.press(key);
    await expect
      .poll(() => readout.textContent())
      .toBe(
        'filter 3, channel 2: 3×3 weights 2100.000 2101.000 2102.000 / 2110.000 2111.000 2112.000 / 2120.000 2121.000 2122.000',
      );
    // The depthwise layer after it: filter 4 is input channel 2's second (multiplier 2).
    await selectLayer(page, 'dw');
    await expect
      .poll(() => readout.textContent())
      .toMatch(/^filter 1, channel 1: 3×2 weights 0\.000 1\.000 \/ 10\.000/);
    await page.getByRole('group', { name: /Weight grid of dw/ }).focus();
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowRight']) await page.keyboard.press(key);
    await expect.poll(() => readout.textContent()).toMatch(/^filter 4, channel 2: 3×2 weights 3100\.000 3101\.000 \//);
    await selectLayer(page, 'conv1');
    await page.locator('.views-panel').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'weights-from-file');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // More filters than the file holds: initial values, and why.
    await typeField(page, 'out_channels', '6');
    const problem = page.locator('.weights-problem');
    await expect
      .poll(() => problem.textContent())
      .toBe(`conv1’s weights from ${NAME} no longer fit: you changed its filters from 4 to 6; showing initial values.`);
    expect(await page.locator('#figure-panel .figure-caption').textContent()).toContain('Initial values');
    expect(await legend.textContent()).toContain('initial weight value');
    await page.locator('.views-panel').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'weights-from-file-edited');
    // Undo puts the file's kernel back.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => source.textContent()).toContain('Trained weights from');
    expect(errors).toEqual([]);
    await page.close();
  });
});
