import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, pickPreset } from './app';
import { collectPageErrors, screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();

/** The adapter's limits as the page sees them (the suggestion's inputs), from WebGPU itself. */
const adapterLimits = (page: Page) =>
  page.evaluate(async () => {
    const gpu = (navigator as unknown as { gpu: { requestAdapter(): Promise<{ limits: Record<string, number> }> } })
      .gpu;
    const adapter = await gpu.requestAdapter();
    return { binding: adapter.limits['maxStorageBufferBindingSize']!, buffer: adapter.limits['maxBufferSize']! };
  });

/** Opens the Train tab; the suggestion appears once the adapter answered. */
async function trainTab(page: Page) {
  await page.getByRole('tab', { name: 'Train' }).click();
  const panel = page.locator('.train-panel');
  await panel.waitFor();
  return panel;
}

describe('Train panel: batch size suggested for WebGPU', () => {
  it('ResNet-20: suggests the largest batch the GPU’s limits allow, says why, and its button sets batch and learning rate', async () => {
    const { page, errors } = await openApp(app.browser, app.url, 1280, 900);
    try {
      await pickPreset(page, 'resnet20-a');
      const panel = await trainTab(page);
      const suggestion = panel.getByTestId('batch-suggestion');
      await suggestion.waitFor({ timeout: 20_000 });
      const { binding, buffer } = await adapterLimits(page);
      // The first stage's patch matrices, 32·32 × 3·3·16 floats per image, are the largest tensor.
      const perImage = 32 * 32 * 9 * 16 * 4;
      const byBinding = Math.floor(Math.min(binding, buffer) / perImage);
      const text = await suggestion.textContent();
      // Shown as "Using …" where the form already has it (the recipe's batch, 64, may be it).
      const [, batch, rate] =
        /(?:Suggested for WebGPU: batch|Using the batch suggested for WebGPU:) (\d+), learning rate (\d+(?:\.\d+)?)\./.exec(
          text!,
        )!;
      const b = Number(batch);
      // A power of two within what one binding holds; the learning rate 0.2 at 64, scaled linearly.
      expect(Math.log2(b) % 1).toBe(0);
      expect(b).toBeLessThanOrEqual(Math.min(byBinding, 512));
      expect(Number(rate)).toBeCloseTo((0.2 * b) / 64, 6);
      // What stops the next power of two: one binding (the patches), or the memory budget.
      if (b * 2 > byBinding) expect(text).toContain("stage1_block1/conv1's patch matrix (im2col), takes 576.00 KB");
      else if (b < 512) expect(text).toMatch(/A step takes [\d.]+ MB per example .* this tab allows [\d.]+ GB/);
      expect(text).toContain("The recipe's learning rate, 0.2 at batch 64, scaled linearly with the batch.");

      // Typing another batch leaves the suggestion as it was (scaled from the recipe, not the form).
      await panel.getByLabel('Batch size', { exact: true }).fill(b === 8 ? '16' : '8');
      await expect
        .poll(() => suggestion.textContent())
        .toContain(`Suggested for WebGPU: batch ${b}, learning rate ${rate}.`);
      await suggestion.scrollIntoViewIfNeeded();
      await screenshot(page, 'batch-suggestion-light');
      expect(await seriousAxeViolations(page)).toEqual([]);

      // Keyboard: focus the button and press Enter.
      const use = suggestion.getByRole('button', { name: `Use ${b}`, exact: true });
      await use.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => panel.getByLabel('Batch size', { exact: true }).inputValue()).toBe(String(b));
      expect(await panel.getByLabel('Learning rate (peak)', { exact: true }).inputValue()).toBe(rate);
      await expect.poll(() => suggestion.textContent()).toContain(`Using the batch suggested for WebGPU: ${b}`);
      // A new learning rate makes the recipe one's own.
      expect(await panel.getByText('Your own recipe.').count()).toBe(rate === '0.2' ? 0 : 1);
      // Picking another backend in the form hides a suggestion made for WebGPU.
      await panel.getByLabel('Backend', { exact: true }).selectOption('wasm');
      await expect.poll(() => suggestion.count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('ResNet-50 (224×224 images) gets a smaller batch than ResNet-20; dark theme stays readable', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    const errors = collectPageErrors(page);
    try {
      await page.goto(app.url);
      await page.locator('.rows').first().waitFor();
      await pickPreset(page, 'resnet20-a');
      const panel = await trainTab(page);
      const suggestion = panel.getByTestId('batch-suggestion');
      await suggestion.waitFor({ timeout: 20_000 });
      const batchOf = async () => Number(/batch (\d+)/.exec((await suggestion.textContent())!)![1]);
      const resnet = await batchOf();
      await pickPreset(page, 'resnet50');

      await expect.poll(batchOf, { timeout: 20_000 }).not.toBe(resnet);
      const big = await batchOf();
      if (big < 16) expect(await suggestion.textContent()).toContain("Batch norm's statistics are noisy");
      expect(big).toBeLessThan(resnet);
      const rate = /learning rate (\d+(?:\.\d+)?)\./.exec((await suggestion.textContent())!)![1]!;
      // Rounded to 3 significant digits.
      expect(Number(rate) / ((0.2 * big) / 64)).toBeCloseTo(1, 2);
      await suggestion.scrollIntoViewIfNeeded();
      await screenshot(page, 'batch-suggestion-dark');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await suggestion.getByRole('button', { name: `Use ${big}`, exact: true }).click();
      await expect.poll(() => panel.getByLabel('Batch size', { exact: true }).inputValue()).toBe(String(big));
      expect(await panel.getByLabel('Learning rate (peak)', { exact: true }).inputValue()).toBe(rate);
      expect(await panel.getByText('Your own recipe.').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
