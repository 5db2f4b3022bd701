import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, outputOf, pickPreset, row, selectLayer } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();

async function paste(page: Page, layers: Record<string, unknown>[]): Promise<void> {
  const model = { format: 'convscope.model', version: 1, name: 'notation', dataFormat: 'channels_last', layers };
  await page.getByRole('button', { name: 'Paste…' }).click();
  await page.getByLabel('Model JSON').fill(JSON.stringify(model));
  await page.getByRole('button', { name: 'Open', exact: true }).click();
}

const setNotation = (page: Page, name: 'PyTorch' | 'Keras') =>
  page.getByRole('radio', { name: new RegExp(`^${name}`) }).check();
const problems = (page: Page) => page.locator('.inspector .problems').textContent();
const why = (page: Page) => page.getByTestId('why').textContent();
const caption = (page: Page) => page.locator('#figure-panel .figure-caption').textContent();

/** MNIST's stack with a residual Add of a 64-channel and a 32-channel map: an error at `skip`. */
const MNIST_WITH_BAD_ADD = [
  { name: 'input', type: 'Input', shape: [28, 28, 1] },
  { name: 'conv1', type: 'Conv2D', filters: 32, kernelSize: 5, padding: 'same' },
  { name: 'pool1', type: 'MaxPooling2D' },
  { name: 'conv2', type: 'Conv2D', filters: 64, kernelSize: 5, padding: 'same' },
  { name: 'skip', type: 'Add', inputs: ['conv2', 'pool1'] },
];

describe('one notation everywhere', () => {
  it('an Add error, "why this shape" and the Channels caption read in the order the rows use, in both notations', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await paste(page, MNIST_WITH_BAD_ADD);
    await row(page, 'skip').waitFor();
    await setNotation(page, 'PyTorch');
    expect(await outputOf(page, 'conv2')).toBe('64×14×14');
    expect(await outputOf(page, 'pool1')).toBe('32×14×14');
    await selectLayer(page, 'skip');
    expect(await problems(page)).toContain("'conv2' gives 64×14×14 and 'pool1' gives 32×14×14");
    // The model's problem list and the layer's say the same.
    const lists = await page.locator('.problems').allTextContents();
    expect(lists.length).toBeGreaterThanOrEqual(2);
    for (const text of lists) expect(text).toContain("'conv2' gives 64×14×14 and 'pool1' gives 32×14×14");
    // Why-this-shape points to the problem, which stands in full once, below it.
    expect(await why(page)).toContain('Not built: see the problem below');
    await screenshot(page, 'notation-add-error-pytorch-1280x800');

    await selectLayer(page, 'conv2');
    expect(await why(page)).toContain('64×14×14: 64 filters, each 32×5×5');
    await page.getByRole('tab', { name: 'Channels', exact: true }).click();
    expect(await caption(page)).toContain('conv2: 64 filters, each 32×5×5 (32 channels deep and 5×5');
    expect(await page.locator('#figure-panel svg.figure').textContent()).toContain('filter 1: 32×5×5');
    await page.locator('#figure-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'notation-channels-pytorch-1280x800');

    await setNotation(page, 'Keras');
    expect(await outputOf(page, 'conv2')).toBe('14×14×64');
    expect(await why(page)).toContain('14×14×64: 64 filters, each 5×5×32');
    expect(await caption(page)).toContain('conv2: 64 filters, each 5×5×32 (32 channels deep and 5×5');
    expect(await page.locator('#figure-panel svg.figure').textContent()).toContain('filter 1: 5×5×32');
    await screenshot(page, 'notation-channels-keras-1280x800');
    await selectLayer(page, 'skip');
    expect(await problems(page)).toContain("'conv2' gives 14×14×64 and 'pool1' gives 14×14×32");
    await screenshot(page, 'notation-add-error-keras-1280x800');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the Reshape that should be a Permute: "48×3 → 3×48" beside rows of 48×3 and 3×48 in PyTorch notation', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'multi-feature-causal');
    await setNotation(page, 'PyTorch');
    expect(await outputOf(page, 'input')).toBe('48×3');
    expect(await outputOf(page, 'to_steps')).toBe('3×48');
    await selectLayer(page, 'to_steps');
    expect(await problems(page)).toContain('Reshape 48×3 → 3×48 does not just split or merge');
    expect(await why(page)).toMatch(/^3×48: /);
    await screenshot(page, 'notation-reshape-pytorch-1280x800');
    await setNotation(page, 'Keras');
    expect(await outputOf(page, 'to_steps')).toBe('48×3');
    expect(await problems(page)).toContain('Reshape 3×48 → 48×3 does not just split or merge');
    await page.locator('.inspector').getByRole('button', { name: 'Replace Reshape with Permute(2, 1)' }).click();
    await expect.poll(() => page.locator('.inspector .problems').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("an input typed channels first is offered the input it meant, not 'same' padding that moves the error on", async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await paste(page, [
      { name: 'input', type: 'Input', shape: [3, 64, 64] },
      { name: 'conv1', type: 'Conv2D', filters: 32, kernelSize: 3, padding: 'same' },
      { name: 'pool1', type: 'MaxPooling2D' },
      { name: 'conv2', type: 'Conv2D', filters: 64, kernelSize: 3, padding: 'same' },
      { name: 'pool2', type: 'MaxPooling2D' },
      { name: 'conv3', type: 'Conv2D', filters: 64, kernelSize: 3 },
    ]);
    await row(page, 'pool2').waitFor();
    await setNotation(page, 'PyTorch');
    expect(await outputOf(page, 'input')).toBe('64×3×64');
    await selectLayer(page, 'pool2');
    expect(await problems(page)).toContain('the input height is only 1');
    const inspector = page.locator('.inspector');
    expect(await inspector.getByRole('button', { name: "Use 'same' padding" }).count()).toBe(0);
    await inspector.getByRole('button', { name: 'Make the input 3×64×64: 3 looks like the channel count' }).click();
    await expect.poll(() => outputOf(page, 'input')).toBe('3×64×64');
    expect(await outputOf(page, 'conv3')).toBe('64×14×14');
    await expect.poll(() => page.locator('.problems').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
