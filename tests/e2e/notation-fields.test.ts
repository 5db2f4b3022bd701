import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, outputOf, pickPreset, row, selectLayer, typeField } from './app';
import { ARTIFACTS, screenshot, useAppServer } from './harness';

const app = useAppServer();

const useNotation = (page: Page, name: 'PyTorch' | 'Keras') =>
  page
    .getByRole('radio', { name: new RegExp(name) })
    .first()
    .check();
const form = (page: Page) => page.locator('.layer-form');
const labels = (page: Page) => form(page).locator('.field > label').allTextContents();
/** One field of the inspector: its label, value, help and note. */
async function shootInspector(page: Page, label: string, name: string) {
  await field(page, label)
    .locator('xpath=..')
    .screenshot({ path: `${ARTIFACTS}/${name}.png` });
}
const field = (page: Page, label: string) => form(page).getByLabel(label, { exact: true });

describe('the editor’s fields follow the notation', () => {
  it('PyTorch: the Input shape is typed C, H, W, and the next layers follow from it', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await useNotation(page, 'PyTorch');
    await selectLayer(page, 'input');
    expect(await field(page, 'shape').inputValue()).toBe('1, 28, 28');
    await shootInspector(page, 'shape', 'inspector-input-pytorch');
    await typeField(page, 'shape', '3, 64, 64');
    await expect.poll(() => outputOf(page, 'input')).toBe('3×64×64');
    expect(await outputOf(page, 'conv1')).toBe('32×64×64');
    expect(await row(page, 'conv1').locator('[data-col="weights"]').textContent()).toBe('32×3×5×5 · 32');
    expect(await outputOf(page, 'pool1')).toBe('32×32×32');
    expect(await form(page).locator('.field-error').count()).toBe(0);

    // The same model in Keras notation: the field reads H, W, C, and typing it back changes nothing.
    await useNotation(page, 'Keras');
    await expect.poll(() => field(page, 'shape').inputValue()).toBe('64, 64, 3');
    await shootInspector(page, 'shape', 'inspector-input-keras');
    expect(await outputOf(page, 'input')).toBe('64×64×3');
    await typeField(page, 'shape', '64, 64, 3');
    await useNotation(page, 'PyTorch');
    await expect.poll(() => field(page, 'shape').inputValue()).toBe('3, 64, 64');
    expect(await outputOf(page, 'conv1')).toBe('32×64×64');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('None, null, ? and an empty entry mark a size that may vary', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'fcn');
    await useNotation(page, 'PyTorch');
    await selectLayer(page, 'input');
    for (const [typed, shape] of [
      ['3, None, None', '3×?×?'],
      ['3, 28, 28', '3×28×28'],
      ['3, null, 28', '3×?×28'],
      ['3, , ?', '3×?×?'],
    ] as const) {
      await typeField(page, 'shape', typed);
      await expect.poll(() => outputOf(page, 'input')).toBe(shape);
      expect(await form(page).locator('.field-error').count(), typed).toBe(0);
    }
    // Something else is refused with a sentence that says what is allowed, not the validator's words.
    await typeField(page, 'shape', 'three, 28, 28');
    const error = await form(page).locator('.field-error').textContent();
    expect(error).toBe('shape must be one value per axis (for example 1, 28, 28)');
    expect(await outputOf(page, 'input')).toBe('3×?×?');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('field names are the framework’s arguments, and padding is PyTorch’s number or an honest note', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await useNotation(page, 'PyTorch');
    await selectLayer(page, 'conv1');
    expect(await labels(page)).toEqual([
      'out_channels',
      'kernel_size',
      'stride',
      'padding',
      'dilation',
      'groups',
      'bias',
      'activation',
      'inputs',
    ]);
    // 'same' with a 5×5 kernel at stride 1 is padding=2 in PyTorch.
    expect(await field(page, 'padding').inputValue()).toBe('2');
    await shootInspector(page, 'padding', 'inspector-conv-pytorch');

    // At stride 2, TF's 'same' pads unevenly: no single number, but the amounts and the code.
    await typeField(page, 'stride', '2');
    await expect.poll(() => field(page, 'padding').inputValue()).toBe('same');
    expect(await form(page).getByTestId('field-note').textContent()).toBe(
      "No single PyTorch padding says this: TensorFlow's 'same' at stride > 1 pads height 1 before, 2 after; " +
        'width 1 before, 2 after for this input. In PyTorch: F.pad(x, (1, 2, 1, 2)) then padding=0.',
    );
    await shootInspector(page, 'padding', 'inspector-conv-pytorch-stride2');

    await useNotation(page, 'Keras');
    await expect
      .poll(() => labels(page))
      .toEqual([
        'filters',
        'kernel_size',
        'strides',
        'padding',
        'dilation_rate',
        'groups',
        'use_bias',
        'activation',
        'inputs',
      ]);
    expect(await field(page, 'padding').inputValue()).toBe('same');
    expect(await form(page).getByTestId('field-note').count()).toBe(0);
    await shootInspector(page, 'padding', 'inspector-conv-keras');
    await selectLayer(page, 'fc1');
    expect(await labels(page)).toEqual(['units', 'use_bias', 'activation', 'inputs']);
    await useNotation(page, 'PyTorch');
    await expect.poll(() => labels(page)).toEqual(['out_features', 'bias', 'activation', 'inputs']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('ResNet-20’s totals: PyTorch’s parameters with the buffers apart, Keras’ trainable and non-trainable', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'resnet20-a');
    await useNotation(page, 'PyTorch');
    const params = page.getByTestId('totals').locator('div').first();
    await expect.poll(() => params.locator('strong').textContent()).toBe('269,722');
    expect(await params.locator('dd span').textContent()).toBe('1,376 in buffers (running mean/var)');
    expect(await page.locator('.layer-list .list-header').textContent()).toContain('269,722 parameters');
    await selectLayer(page, 'bn1');
    expect(await page.locator('.inspector .facts').textContent()).toContain(
      '32 parameters · 32 in buffers (batch-norm running statistics)',
    );
    expect(await row(page, 'bn1').locator('[data-col="params"]').textContent()).toBe('32');
    await screenshot(page, 'totals-resnet20-pytorch-1280x800');

    await useNotation(page, 'Keras');
    await expect.poll(() => params.locator('strong').textContent()).toBe('271,098');
    expect(await params.locator('dd span').textContent()).toBe('269,722 trainable · 1,376 non-trainable');
    expect(await page.locator('.inspector .facts').textContent()).toContain(
      '64 parameters (32 trainable, 32 non-trainable)',
    );
    expect(await row(page, 'bn1').locator('[data-col="params"]').textContent()).toBe('64');
    // The explicit padding=1 of ResNet's first convolution has no Keras word: say what Keras needs.
    await selectLayer(page, 'conv1');
    expect(await form(page).getByTestId('field-note').textContent()).toContain('ZeroPadding2D');
    await screenshot(page, 'totals-resnet20-keras-1280x800');
    // Lecture mode says the same of the selected layer.
    await selectLayer(page, 'bn1');
    await page.getByRole('button', { name: 'Lecture mode' }).click();
    await expect
      .poll(() => page.locator('.lecture-view .facts').textContent())
      .toContain('64 parameters (32 trainable, 32 non-trainable)');
    await useNotation(page, 'PyTorch');
    await expect
      .poll(() => page.locator('.lecture-view .facts').textContent())
      .toContain('32 parameters · 32 in buffers (batch-norm running statistics)');
    expect(errors).toEqual([]);
    await page.close();
  });
});
