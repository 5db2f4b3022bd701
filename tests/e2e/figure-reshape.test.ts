import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, pickPreset, selectLayer } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();

const figure = (page: Page) => page.locator('#figure-panel svg.figure');
const panel = (page: Page, id: string) => figure(page).locator(`[data-panel="${id}"]`);
const shapeOf = async (p: Locator) => ((await p.getAttribute('data-shape')) ?? '').split(',').map(Number);
/** The original index that a panel's tile at `at` holds. */
const originAt = (p: Locator, at: readonly number[]) =>
  p.locator(`[data-at="${at.join(',')}"]`).getAttribute('data-origin');

async function openReshape(page: Page): Promise<void> {
  await pickPreset(page, 'multi-feature-causal');
  await selectLayer(page, 'to_steps');
  await page.getByRole('tab', { name: 'Reshape vs Permute' }).click();
  await figure(page).waitFor();
  await figure(page).scrollIntoViewIfNeeded();
}

describe('Reshape vs Permute', () => {
  it("shows to_steps' Reshape re-cutting memory order beside the Permute that moves whole axes", async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await openReshape(page);
    const original = panel(page, 'original');
    const reshaped = panel(page, 'reshape');
    const permuted = panel(page, 'permute');
    // The input is 3×48 and to_steps reshapes it to 48×3; the picture draws fewer steps.
    expect(await original.locator('.panel-sizes').textContent()).toMatch(/^3×48/);
    expect(await reshaped.locator('.panel-title').textContent()).toBe('Reshape to 48×3');
    const [rows, cols] = (await shapeOf(original)) as [number, number];
    expect(rows).toBe(3);
    expect(cols).toBeLessThan(48);
    expect(await shapeOf(reshaped)).toEqual([cols, rows]);
    expect(await shapeOf(permuted)).toEqual([cols, rows]);
    expect(await page.locator('.reshape-notes').textContent()).toContain(`Shown at 3×${cols} instead of 3×48`);

    // Memory order of the drawn input: row by row.
    const memory: string[] = [];
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) memory.push(`${i},${j}`);
    // Reshape row 2, column 2 is element 2·3 + 2 = 8 in memory order: past the first input row.
    expect(await originAt(reshaped, [2, 2])).toBe(`${Math.floor(8 / cols)},${8 % cols}`);
    // Permute row 5, column 1 holds the input's (1, 5): the transpose.
    expect(await originAt(permuted, [5, 1])).toBe('1,5');
    for (let r = 0; r < cols; r++) {
      for (let c = 0; c < rows; c++) {
        expect(await originAt(reshaped, [r, c])).toBe(memory[r * rows + c]);
        expect(await originAt(permuted, [r, c])).toBe(`${c},${r}`);
      }
    }
    // Each element is drawn once per panel, and the tiles carry their original index.
    expect(await original.locator('[data-origin]').count()).toBe(rows * cols);
    expect(await reshaped.locator('[data-origin="1,0"] text').textContent()).toBe('1,0');
    const words = page.locator('.reshape-words');
    // The input is 3 sensors (channels) × 48 steps, named so: its 3-long axis is not called 'step'.
    expect(await page.locator('.reshape-colour').textContent()).toContain('channel (axis 0)step (axis 1)');
    // Drawn rows of 3 cut the input's rows of `cols` evenly: the first cols / 3 all hold sensor 0.
    expect(await words.textContent()).toContain(`result[0] to result[${cols / rows - 1}] all come from channel 0`);
    expect(await words.textContent()).toContain('result[0] holds step 0 of every channel');

    // Colour follows the original step index: a Permute column is one step, a Reshape column mixes steps.
    const fill = (p: Locator, at: readonly number[]) =>
      p.locator(`[data-at="${at.join(',')}"] rect`).getAttribute('fill');
    const column = async (p: Locator, c: number) => {
      const colours = new Set<string | null>();
      for (let r = 0; r < cols; r++) colours.add(await fill(p, [r, c]));
      return colours;
    };
    expect(await column(permuted, 1)).toEqual(new Set([await fill(original, [1, 0])]));
    expect((await column(reshaped, 1)).size).toBe(rows);

    // Pointing at an input tile outlines it in the other panels, where Reshape and Permute put it.
    await original.locator('[data-origin="1,5"]').hover();
    const marked = (p: Locator) => p.locator('.focus-mark').getAttribute('data-focus');
    await expect.poll(() => marked(permuted)).toBe('1,5');
    expect(await marked(reshaped)).toBe('1,5');
    expect(await page.locator('#figure-panel output').textContent()).toContain(
      `(1, 5) → Reshape (${Math.floor((cols + 5) / rows)}, ${(cols + 5) % rows}) · Permute (5, 1)`,
    );
    // The slider follows elements in memory order from the keyboard.
    const slider = page.getByRole('slider', { name: 'Follow element' });
    await slider.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => marked(permuted)).toBe('0,1');

    await screenshot(page, 'figure-reshape-1280x800');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export SVG' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Multi-feature_causal_model_Reshape_vs_Permute_-to_steps-reshape.svg');
    const svg = readFileSync((await download.path()) as string, 'utf8');
    expect(svg).toContain('Reshape to 48×3');
    expect(svg).toContain('data-origin="1,5"');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('swaps the last two axes of any other layer, in the chosen notation', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await openReshape(page);
    await selectLayer(page, 'conv1');
    // conv1's output is 48 steps × 16 channels; PyTorch writes it 16×48.
    const original = panel(page, 'original');
    await expect.poll(() => original.locator('.panel-sizes').textContent()).toMatch(/^16×48/);
    expect(await panel(page, 'reshape').locator('.panel-title').textContent()).toBe('Reshape to 48×16');
    expect(await panel(page, 'permute').locator('.panel-title').textContent()).toBe('permute(1, 0) → 48×16');
    await page.getByRole('radio', { name: /Keras/ }).click();
    await expect.poll(() => original.locator('.panel-sizes').textContent()).toMatch(/^48×16/);
    expect(await panel(page, 'permute').locator('.panel-title').textContent()).toBe('Permute (2, 1) → 16×48');
    // per_step's 48×1 output becomes 1×48 either way: a Reshape that only drops a size-1 axis is a Permute.
    await selectLayer(page, 'per_step');
    await expect.poll(() => panel(page, 'reshape').locator('.panel-title').textContent()).toBe('Reshape to 1×48');
    const origins = (id: string) =>
      panel(page, id)
        .locator('[data-origin]')
        .evaluateAll((tiles) => tiles.map((t) => `${t.getAttribute('data-at')}=${t.getAttribute('data-origin')}`));
    expect((await origins('reshape')).sort()).toEqual((await origins('permute')).sort());
    expect(await page.locator('.reshape-words').textContent()).toContain('only adds or drops axes of size 1');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('steps the followed element with the arrows in lecture mode', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await openReshape(page);
    await page.getByRole('button', { name: 'Lecture mode' }).click();
    await figure(page).waitFor();
    const marked = () => panel(page, 'reshape').locator('.focus-mark').getAttribute('data-focus');
    expect(await marked()).toBe('0,0');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(marked).toBe('0,3');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(marked).toBe('0,2');
    expect(await panel(page, 'permute').locator('.focus-mark').getAttribute('data-focus')).toBe('0,2');
    await figure(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'figure-reshape-lecture');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
