import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, pickPreset, row } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();

const figure = (page: Page) => page.locator('#figure-panel svg.figure');
const inner = (page: Page, id: string) => page.locator(`li.inner-row[data-row="${id}"]`);

async function openFigure(page: Page, tab: string): Promise<void> {
  await page.getByRole('tab', { name: tab, exact: true }).click();
}

describe('layers inside ResNet blocks', () => {
  it('are selected by click: the Convolution and Channels pictures show the inner convolution with its real input', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'resnet20-a');
    // stage2_block1: 16 → 32 channels, stride 2, 32×32 → 16×16.
    await row(page, 'stage2_block1').getByRole('button', { name: 'layers inside stage2_block1' }).click();
    await inner(page, 'stage2_block1/conv1').getByRole('button').click();
    await expect.poll(() => inner(page, 'stage2_block1/conv1').getAttribute('class')).toContain('selected');
    const why = await page.getByTestId('why').textContent();
    expect(why).toMatch(/^32×16×16: 32 filters, each /);
    expect(why).toContain('all 16 input channels');
    expect(why).toContain('= 16 on each axis');
    expect(await page.locator('.inspector .facts').textContent()).toContain('32×16×3×3');
    await openFigure(page, 'Convolution');
    expect(await figure(page).getAttribute('data-input-shape')).toBe('32×32');
    expect(await figure(page).getAttribute('data-input-channels')).toBe('16');
    expect(await figure(page).getAttribute('data-output-shape')).toBe('16×16');
    expect(await page.locator('#figure-panel h3').textContent()).toContain('stage2_block1/conv1');
    expect(await page.locator('#figure-panel .figure-caption').textContent()).toContain('3×3 kernel, stride 2×2');
    await screenshot(page, 'inner-conv-convolution-1280x800');
    await openFigure(page, 'Channels');
    expect(await figure(page).getAttribute('data-channels')).toBe('16');
    expect(await figure(page).getAttribute('data-filters')).toBe('32');
    await openFigure(page, 'Weights');
    expect(await page.locator('#figure-panel h3').textContent()).toContain('stage2_block1/conv1');
    await screenshot(page, 'inner-conv-weights-1280x800');
    // An edit elsewhere keeps the inner selection; the block's inner layers follow its fields.
    await page.getByRole('button', { name: 'Edit stage2_block1' }).click();
    await page.locator('.layer-form').getByLabel('planes', { exact: true }).first().fill('48');
    await inner(page, 'stage2_block1/conv2').getByRole('button').click();
    await openFigure(page, 'Channels');
    expect(await figure(page).getAttribute('data-channels')).toBe('48');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('are reached from the keyboard: Tab into an unfolded block, Enter selects; lecture ↓ steps through them', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'resnet20-a');
    const expand = row(page, 'stage1_block1').getByRole('button', { name: 'layers inside stage1_block1' });
    await expand.focus();
    await page.keyboard.press('Enter');
    await inner(page, 'stage1_block1/conv1').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    // conv1, bn1, relu1, conv2: the fourth inner layer.
    await expect.poll(() => inner(page, 'stage1_block1/conv2').getAttribute('class')).toContain('selected');
    await inner(page, 'stage1_block1/conv2').scrollIntoViewIfNeeded();
    await screenshot(page, 'inner-rows-selected-1280x800');
    await openFigure(page, 'Convolution');
    expect(await figure(page).getAttribute('data-input-channels')).toBe('16');
    expect(await figure(page).getAttribute('data-output-shape')).toBe('32×32');
    // Lecture mode's ↓ walks into the unfolded block and out of it.
    await page.getByRole('button', { name: 'Lecture' }).click();
    await page.locator('.lecture-view').waitFor();
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('#lecture-layer').textContent()).toContain('stage1_block1/bn2');
    // bn2, add, relu2: then out of the block to the next one.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('#lecture-layer').textContent()).toMatch(/^stage1_block2 /);
    expect(errors).toEqual([]);
    await page.close();
  });
});

/** How many different grey levels the picture of a row's channel holds (a constant map has one). */
async function greyLevels(page: Page, layer: string, channel: number): Promise<number> {
  const href = await page
    .locator(`g.map-row[data-layer="${layer}"] image[data-channel="${channel}"]`)
    .getAttribute('href');
  return page.evaluate(async (url) => {
    const img = new Image();
    img.src = url ?? '';
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const context = canvas.getContext('2d')!;
    context.drawImage(img, 0, 0);
    const data = context.getImageData(0, 0, img.width, img.height).data;
    const levels = new Set<number>();
    for (let i = 0; i < data.length; i += 4) levels.add(data[i]!);
    return levels.size;
  }, href);
}

describe('feature maps before training', () => {
  it('run the MNIST CNN on a real digit: conv1 shows its 32 channels (8 drawn, +24 more) of real activations', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await openFigure(page, 'Feature maps');
    const conv1 = page.locator('g.map-row[data-layer="conv1"]');
    await conv1.waitFor({ timeout: 60_000 });
    expect(await conv1.getAttribute('data-channels')).toBe('32');
    expect(await conv1.getAttribute('data-shown')).toBe('8');
    expect(await conv1.locator('text.row-more').textContent()).toBe('+24 more');
    // The input row is the digit itself (28×28, mostly black with white ink).
    expect(await greyLevels(page, 'input', 0)).toBeGreaterThan(20);
    for (const channel of [1, 2, 8]) expect(await greyLevels(page, 'conv1', channel)).toBeGreaterThan(20);
    // Selecting a layer outlines its maps; clicking a row selects its layer.
    await row(page, 'conv2').locator('.row-main').click();
    await expect.poll(() => page.locator('g.map-row.selected').getAttribute('data-layer')).toBe('conv2');
    await page.locator('g.map-row[data-layer="pool1"]').click();
    await expect.poll(() => row(page, 'pool1').getAttribute('class')).toContain('selected');
    await page.locator('#figure-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'feature-maps-mnist-1280x800');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('run ResNet-20 on a CIFAR-10 image, inner layers of an unfolded block included; refuse a 1-D model politely', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'resnet20-a');
    await row(page, 'stage2_block1').getByRole('button', { name: 'layers inside stage2_block1' }).click();
    await inner(page, 'stage2_block1/conv1').getByRole('button').click();
    await openFigure(page, 'Feature maps');
    const last = page.locator('g.map-row[data-layer="stage3_block3"]');
    await last.waitFor({ timeout: 90_000 });
    expect(await last.getAttribute('data-channels')).toBe('64');
    expect(await page.locator('#figure-panel select').first().inputValue()).toBe('cifar:3');
    expect(await greyLevels(page, 'input', 0)).toBeGreaterThan(20);
    const selected = page.locator('g.map-row.selected');
    expect(await selected.getAttribute('data-layer')).toBe('stage2_block1/conv1');
    expect(await selected.getAttribute('data-channels')).toBe('32');
    expect(await greyLevels(page, 'stage2_block1/conv1', 1)).toBeGreaterThan(10);
    await page.locator('#figure-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'feature-maps-resnet20-1280x800');

    await pickPreset(page, 'causal-dilated');
    await openFigure(page, 'Feature maps');
    expect(await page.locator('.maps-refusal').textContent()).toContain('not an image');
    expect(await page.locator('g.map-row').count()).toBe(0);
    await page.locator('.maps-refusal').scrollIntoViewIfNeeded();
    await screenshot(page, 'feature-maps-refusal-1280x800');
    expect(errors).toEqual([]);
    await page.close();
  });
});
