import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { presetModel } from '../../src/presets';
import { openApp, pickPreset, row } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();

/** Top-level layers whose outputs have a receptive field, as the engine reports them. */
const layersWithField = (id: string) =>
  analyzeModel(presetModel(id))
    .layers.filter((l) => l.receptiveField !== null && l.receptiveField.axes.length > 0)
    .map((l) => l.name);

/** Scrolls the picture's frame to the top of the window, for screenshots. */
const showFigure = (page: Page) =>
  page.locator('#figure-panel').evaluate((el) => el.scrollIntoView({ block: 'start' }));

async function openGrowth(page: Page) {
  await page.getByRole('tab', { name: 'Growth' }).click();
  const chart = page.locator('svg.growth-chart');
  await chart.waitFor();
  await showFigure(page);
  return chart;
}

const isSelected = async (page: Page, name: string) =>
  (await row(page, name).getAttribute('class'))?.includes('selected');

describe('receptive field growth picture', () => {
  it('plots every layer with a field, selects layers by click and arrow keys, and marks the input size', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'resnet20-a');
    const chart = await openGrowth(page);
    const names = layersWithField('resnet20-a');
    expect(await chart.getAttribute('data-points')).toBe(String(names.length));
    // Height and width agree in ResNet-20: one line, so one circle per layer in each panel.
    expect(await chart.locator('.panel.size circle.point').count()).toBe(names.length);
    expect(await chart.locator('.legend').textContent()).toContain('height = width');

    // 3×3 stem, then three blocks of two 3×3 convolutions (+4 each), then a block whose first
    // convolution has stride 2: 3 + 3·4 + 2 + 2·2 = 21, jump 2.
    await chart.locator('.panel.size circle.point[data-layer="stage2_block1"]').click();
    await expect.poll(() => isSelected(page, 'stage2_block1')).toBe(true);
    expect(await chart.locator('.readout').textContent()).toBe('stage2_block1: field 21×21, jump 2, input 32×32');

    await chart.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => isSelected(page, 'stage2_block2')).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => isSelected(page, 'stage1_block3')).toBe(true);
    await page.keyboard.press('End');
    await expect.poll(() => isSelected(page, names[names.length - 1]!)).toBe(true);
    expect(await chart.locator('.readout').textContent()).toContain('wider than the input');

    // The last block's field (81) is drawn above the dashed 32-pixel input line; the stem's below.
    const inputY = Number(await chart.locator('.input-line line').getAttribute('y1'));
    expect(await chart.locator('.input-line text').textContent()).toBe('input: 32');
    const cy = async (name: string) =>
      Number(await chart.locator(`.panel.size circle.point[data-layer="${name}"]`).getAttribute('cy'));
    expect(await cy('stage3_block3')).toBeLessThan(inputY);
    expect(await cy('conv1')).toBeGreaterThan(inputY);
    // The jump panel steps up at each downsampling: stage 3's jump (4) is drawn above stage 1's (1).
    const jumpY = async (name: string) =>
      Number(await chart.locator(`.panel.jump circle.point[data-layer="${name}"]`).getAttribute('cy'));
    expect(await jumpY('stage3_block1')).toBeLessThan(await jumpY('stage1_block1'));

    await chart.locator('.panel.size circle.point[data-layer="stage2_block3"]').click();
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Selecting scrolls the layer list to the row; bring the picture back for the screenshot.
    await showFigure(page);
    await screenshot(page, 'figure-growth-1280x800');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'figure-growth-dark-1280x800');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('stops the series at Flatten, switches to a log scale, and explains a model with no spatial layers', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'vgg16');
    const chart = await openGrowth(page);
    expect(await chart.getAttribute('data-points')).toBe(String(layersWithField('vgg16').length));
    expect(await chart.locator('.note').textContent()).toBe('No field after flatten (Flatten).');
    await chart.locator('.panel.size circle.point[data-layer="block5_conv3"]').click();
    expect(await chart.locator('.readout').textContent()).toBe('block5_conv3: field 196×196, jump 16, input 224×224');

    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#figure-panel').getByRole('button', { name: 'Export SVG' }).click(),
    ]);
    expect(file.suggestedFilename()).toBe('VGG16-growth.svg');
    const exported = readFileSync((await file.path())!, 'utf8');
    expect(exported).toContain('block5_conv3: field 196×196');
    expect(exported).toContain('input: 224');

    const y = () => chart.locator('.panel.size circle.point[data-layer="block1_conv1"]').getAttribute('cy');
    const linear = Number(await y());
    await page.getByLabel('Log scale for size').check();
    // On a log scale the small early fields spread out: block1_conv1 (3) rises off the floor.
    await expect.poll(async () => Number(await y())).toBeLessThan(linear - 20);

    // Selecting a dense layer keeps the chart, and says it has no field.
    await row(page, 'fc1').locator('.row-main').click();
    await expect.poll(() => chart.locator('.readout').textContent()).toContain('fc1: no receptive field');

    await pickPreset(page, 'multi-feature-causal');
    await expect.poll(() => page.locator('#figure-panel .layer-choice').textContent()).toContain('to_steps (Reshape)');
    expect(await page.locator('svg.growth-chart').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('follows a causal dilated Conv1D stack on one axis', async () => {
    const { page } = await openApp(app.browser, app.url);
    await pickPreset(page, 'causal-dilated');
    const chart = await openGrowth(page);
    await chart.locator('.panel.size circle.point[data-layer="conv_d8"]').click();
    // Kernel 3 with dilations 1, 2, 4, 8: 1 + 2·(1 + 2 + 4 + 8) = 31 steps.
    expect(await chart.locator('.readout').textContent()).toBe('conv_d8: field 31, jump 1, input 64');
    expect(await chart.locator('.legend').textContent()).toContain('length');
    await page.close();
  });

  it('steps along the points with the arrows in lecture mode', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'resnet20-a');
    await openGrowth(page);
    await page.locator('.panel.size circle.point[data-layer="conv1"]').click();
    await page.getByRole('button', { name: 'Lecture mode' }).click();
    const chart = page.locator('svg.growth-chart');
    await chart.waitFor();
    await page.keyboard.press('ArrowRight');
    // The next point after conv1 is bn1 (a point of its own: it keeps conv1's field).
    await expect.poll(() => chart.locator('.readout').textContent()).toContain('bn1: field 3×3');
    await showFigure(page);
    await screenshot(page, 'figure-growth-lecture');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
