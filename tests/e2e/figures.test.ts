import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, outputOf, pickPreset, selectLayer } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();

const figure = (page: Page) => page.locator('#figure-panel svg.figure');

async function openFigure(page: Page, tab: string): Promise<void> {
  await page.getByRole('tab', { name: tab, exact: true }).click();
  await page.locator('#figure-panel').scrollIntoViewIfNeeded();
}

/** The spatial sizes of a layer's output as the layer list prints them (PyTorch notation: channels first). */
async function spatialOutput(page: Page, layer: string): Promise<string> {
  const text = (await outputOf(page, layer)) ?? '';
  return text.split('×').slice(1).join('×');
}

describe('convolution animation', () => {
  it('has one output cell per output position of the engine, for same, valid, causal and explicit padding', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    const cases = [
      ['mnist', 'conv1', 'same'],
      ['two-channel', 'conv1', 'valid'],
      ['causal-dilated', 'conv_d4', 'causal'],
      ['alexnet', 'conv1', 'explicit'],
      ['alexnet', 'pool1', 'valid'],
    ] as const;
    for (const [preset, layer, padding] of cases) {
      await pickPreset(page, preset);
      await selectLayer(page, layer);
      await openFigure(page, 'Convolution');
      const expected = await spatialOutput(page, layer);
      expect(await figure(page).getAttribute('data-output-shape'), `${preset} ${layer} (${padding})`).toBe(expected);
      const cells = expected.split('×').reduce((a, b) => a * Number(b), 1);
      expect(await figure(page).getAttribute('data-output-cells')).toBe(String(cells));
      // Scrubbing to the end has computed every output cell.
      const slider = page.getByRole('slider', { name: 'Output position' });
      await slider.focus();
      await page.keyboard.press('End');
      await expect.poll(() => figure(page).getAttribute('data-computed')).toBe(String(cells));
      await expect.poll(() => page.locator('.frame-status').textContent()).toContain(`Output ${cells} of ${cells}`);
      if (padding === 'causal') await screenshot(page, 'figure-convolution-causal-1280x800');
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('plays, pauses, steps and writes out the current sum; exports the frame as SVG', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await selectLayer(page, 'conv1');
    await openFigure(page, 'Convolution');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    expect(await figure(page).getAttribute('data-frame')).toBe('2');
    // 'same' padding of a 5×5 kernel: two hatched rows above the first output's window.
    expect(await figure(page).locator('rect.cell.pad').count()).toBeGreaterThan(0);
    // The sum of the current cell is written out with its numbers: 25 products for a 5×5 kernel on 1 channel.
    const equation = (await figure(page).locator('.equation').textContent()) ?? '';
    expect(equation.startsWith('y[0, 2] =')).toBe(true);
    expect(equation.match(/·/g)?.length).toBe(25);
    await page.getByRole('combobox', { name: 'Speed' }).selectOption('30');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(async () => Number(await figure(page).getAttribute('data-frame'))).toBeGreaterThan(10);
    await page.getByRole('button', { name: 'Pause' }).click();
    const paused = await figure(page).getAttribute('data-frame');
    await page.waitForTimeout(300);
    expect(await figure(page).getAttribute('data-frame')).toBe(paused);
    await screenshot(page, 'figure-convolution-1280x800');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#figure-panel').getByRole('button', { name: 'Export SVG' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('MNIST_CNN-conv1-convolution.svg');
    const svg = readFileSync((await download.path())!, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(`data-frame="${paused}"`);
    expect(svg).toContain('fill:');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('offers the layers it can draw when the selected one has no window', async () => {
    const { page } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await selectLayer(page, 'flatten');
    await openFigure(page, 'Convolution');
    await expect.poll(() => page.locator('.layer-choice').textContent()).toContain('has no sliding window');
    await page.locator('.layer-choice').getByRole('button', { name: 'pool1' }).click();
    expect(await figure(page).getAttribute('data-output-shape')).toBe(await spatialOutput(page, 'pool1'));
    await page.close();
  });
});

describe('receptive-field explorer', () => {
  it('lights exactly 31 input steps for the last output of the causal dilated stack, and none in the future', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'causal-dilated');
    await selectLayer(page, 'forecast');
    await openFigure(page, 'Receptive field');
    const input = figure(page).locator('.field-row[data-layer="input"] circle.node');
    expect(await input.count()).toBe(64);
    const litSteps = async () =>
      (await figure(page)
        .locator('.field-row[data-layer="input"] circle.node.lit')
        .evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-t'))))) as number[];
    const last = await litSteps();
    expect(last).toHaveLength(31);
    expect(Math.min(...last)).toBe(33);
    expect(Math.max(...last)).toBe(63);
    await screenshot(page, 'figure-field-causal-1280x800');

    // Choose output 40 with the keyboard: it reads steps 10–40 and nothing after 40.
    const chooser = page.getByRole('slider', { name: /Output position of forecast/ });
    await chooser.focus();
    for (let i = 0; i < 23; i++) await page.keyboard.press('ArrowLeft');
    expect(await chooser.getAttribute('aria-valuenow')).toBe('40');
    const at40 = await litSteps();
    expect(at40).toHaveLength(31);
    expect(Math.max(...at40)).toBe(40);
    expect(Math.min(...at40)).toBe(10);
    expect(await figure(page).locator('.future text').textContent()).toContain('after 40');
    // A click on an output position chooses it.
    await figure(page).locator('.field-row[data-layer="forecast"] circle.node[data-t="5"]').click();
    expect(Math.max(...(await litSteps()))).toBe(5);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lays the field of a 2D output over a real digit, and moves it with the arrow keys', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await selectLayer(page, 'conv2');
    await openFigure(page, 'Receptive field');
    // conv 5×5 → pool 2×2/2 → conv 5×5: a 14×14 field in the input.
    expect(await figure(page).getAttribute('data-extent')).toBe('14×14');
    const caption = page.locator('#figure-panel .figure-caption');
    expect(await caption.textContent()).toContain('Output (6, 6)');
    const chooser = page.getByRole('slider', { name: /Output position of conv2/ });
    await chooser.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    expect(await caption.textContent()).toContain('Output (7, 7)');
    // A corner output's field is cut by the border: fewer positions lit.
    const box = (await chooser.boundingBox())!;
    await page.mouse.click(box.x + 2, box.y + 2);
    expect(await caption.textContent()).toContain('Output (0, 0)');
    expect(Number(await figure(page).getAttribute('data-lit'))).toBeLessThan(14 * 14);
    await page.getByRole('combobox', { name: 'Picture' }).selectOption('7');
    await chooser.focus();
    await page.keyboard.press('ArrowRight');
    await screenshot(page, 'figure-field-2d-1280x800');
    await pickPreset(page, 'resnet50');
    await selectLayer(page, 'conv5_block3');
    await expect.poll(() => figure(page).getAttribute('data-extent')).toBe('224×224');
    await screenshot(page, 'figure-field-resnet50-1280x800');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('channels, filters, kernel', () => {
  it('shows every filter spanning both stacked input matrices and summing them into one output channel', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'two-channel');
    await selectLayer(page, 'conv1');
    await openFigure(page, 'Channels');
    expect(await figure(page).getAttribute('data-channels')).toBe('2');
    expect(await figure(page).getAttribute('data-filters')).toBe('8');
    // Filter 1 reads both channels: two highlighted links, one per slice.
    expect(await figure(page).locator('line.link.active').count()).toBe(2);
    await page.getByRole('button', { name: 'Next filter' }).click();
    expect(await figure(page).getAttribute('data-filter')).toBe('2');
    expect(await page.locator('#figure-panel .figure-caption').textContent()).toContain(
      '8 filters, each 2×3×3 (2 channels deep and 3×3',
    );
    await screenshot(page, 'figure-channels-1280x800');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('pictures in lecture mode', () => {
  it('are driven from the keyboard: digits choose the picture, ← → step it, Space plays, ↑ ↓ step layers', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'causal-dilated');
    await selectLayer(page, 'conv_d2');
    await page.getByRole('button', { name: 'Lecture' }).click();
    await page.locator('.lecture-view').waitFor();
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('2');
    await expect.poll(() => page.locator('#figure-panel').getAttribute('data-figure')).toBe('convolution');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await figure(page).getAttribute('data-frame')).toBe('2');
    await page.keyboard.press('ArrowLeft');
    expect(await figure(page).getAttribute('data-frame')).toBe('1');
    await screenshot(page, 'figure-convolution-lecture');
    await page.keyboard.press(' ');
    await expect.poll(async () => Number(await figure(page).getAttribute('data-frame'))).toBeGreaterThan(1);
    await page.keyboard.press(' ');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('#lecture-layer').textContent()).toContain('conv_d4');
    await page.keyboard.press('3');
    await expect.poll(() => figure(page).getAttribute('data-lit')).toBe('15');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.locator('#figure-panel .figure-caption').textContent()).toContain('Output (62)');
    await screenshot(page, 'figure-field-lecture');
    await page.keyboard.press('5');
    await screenshot(page, 'figure-channels-lecture');
    await page.keyboard.press('1');
    await screenshot(page, 'figure-volumes-lecture');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('huge layers', () => {
  it('draw summarised pictures of a 2048-channel convolution on 224×224 without freezing the tab', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    const model = {
      format: 'convscope.model',
      version: 1,
      name: 'Huge',
      dataFormat: 'channels_last',
      layers: [
        { name: 'input', type: 'Input', shape: [224, 224, 2048] },
        { name: 'big', type: 'Conv2D', filters: 2048, kernelSize: 3, padding: 'same' },
      ],
    };
    await page.getByRole('button', { name: 'Paste…' }).click();
    await page.getByLabel('Model JSON').fill(JSON.stringify(model));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await selectLayer(page, 'big');
    /** Opens a tab and measures until the frame showing it has been painted. */
    const timed = async (tab: string, drawing = 'svg.figure') => {
      const start = await page.evaluate(() => performance.now());
      await openFigure(page, tab);
      await page.locator(`#figure-panel ${drawing}`).waitFor();
      return (
        (await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now()))))) -
        start
      );
    };
    const times: Record<string, number> = {};
    times['Convolution'] = await timed('Convolution');
    // A window of the 226×226 padded input and the 224×224 output, four of the 2048 sheets.
    expect(await figure(page).locator('.crop-note').textContent()).toContain('of 226');
    expect(await figure(page).locator('.sheet.back').count()).toBe(3);
    expect(await figure(page).getAttribute('data-output-cells')).toBe(String(224 * 224));
    expect(await figure(page).locator('.equation').textContent()).toContain('first 64 shown');
    times['Weights'] = await timed('Weights');
    expect(await figure(page).getAttribute('data-summarised')).toBe('true');
    times['Receptive field'] = await timed('Receptive field');
    expect(await figure(page).getAttribute('data-extent')).toBe('3×3');
    times['Channels'] = await timed('Channels');
    expect(await figure(page).locator('.more').first().textContent()).toContain('2,045 more channels');
    times['Volumes'] = await timed('Volumes', 'svg.volumes');
    console.log('huge layer, tab → painted (ms):', times);
    for (const [tab, ms] of Object.entries(times)) expect(ms, tab).toBeLessThan(2000);
    await screenshot(page, 'figure-huge-layer');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('export', () => {
  it('saves the frame on screen of every picture as a standalone SVG, canvases included as images', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await selectLayer(page, 'conv2');
    const expectations: [string, string, RegExp][] = [
      ['Convolution', 'conv2-convolution', /y\[0, 0\] =/],
      ['Receptive field', 'conv2-receptive-field', /<image [^>]*href="data:image\/png;base64,/],
      ['Weights', 'conv2-weights', /<image [^>]*href="data:image\/png;base64,/],
      ['Channels', 'conv2-channels', /output channel 1/],
      ['Reshape vs Permute', 'conv2-reshape', /data-panel="permute"/],
      ['Growth', 'growth', /conv2/],
    ];
    for (const [tab, file, content] of expectations) {
      await openFigure(page, tab);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('#figure-panel').getByRole('button', { name: 'Export SVG' }).click(),
      ]);
      expect(download.suggestedFilename(), tab).toBe(`MNIST_CNN-${file}.svg`);
      const svg = readFileSync((await download.path())!, 'utf8');
      expect(svg.startsWith('<svg'), tab).toBe(true);
      expect(svg, tab).toContain('xmlns="http://www.w3.org/2000/svg"');
      expect(svg, tab).not.toContain('<foreignObject');
      expect(svg, tab).toMatch(content);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
