import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, pickPreset } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();

/** Stops the run where it still goes (a fast machine may have finished it). */
async function stopIfRunning(panel: Locator) {
  const stop = panel.getByRole('button', { name: 'Stop' });
  if (await stop.isVisible()) await stop.click();
}

/** The first look's button: "Use 64 images, batch 64", with ", learning rate 0.05" where the batch changes. */
const USE = /^Use ([\d,]+) images?, batch ([\d,]+)(?:, learning rate ([\d.e-]+))?$/;

/** "Use 1 image, batch 1, learning rate 0.00313" → [1, 1, 0.00313] (the rate null when kept). */
const offered = (name: string) => {
  const [, images, batch, rate] = USE.exec(name)!;
  const count = (s: string) => Number(s.replace(/,/g, ''));
  return [count(images!), count(batch!), rate === undefined ? null : Number(rate)] as const;
};

describe('Train panel: the first look with a big model', () => {
  it('ResNet-50: the plan offers a batch the run accepts, no larger than the suggestion, and the run starts', async () => {
    const { page, errors } = await openApp(app.browser, app.url, 1280, 900);
    try {
      await pickPreset(page, 'resnet50');
      await page.getByRole('tab', { name: 'Train' }).click();
      const panel = page.locator('.train-panel');
      const plan = panel.getByTestId('train-plan');
      const use = plan.getByRole('button', { name: USE });
      await use.waitFor();
      // The suggestion (WebGPU, where this Chromium has an adapter) comes once the adapter answered.
      const suggestion = panel.getByTestId('batch-suggestion');
      const gpu = await suggestion.waitFor({ timeout: 20_000 }).then(
        () => true,
        () => false,
      );
      const rateBefore = Number(await panel.getByLabel('Learning rate (peak)', { exact: true }).inputValue());
      const batchBefore = Number(await panel.getByLabel('Batch size', { exact: true }).inputValue());
      const [images, batch, rate] = offered((await use.textContent())!);
      expect(batch).toBeGreaterThanOrEqual(1);
      // A smaller batch takes the learning rate along (SGD: linearly), as the suggestion's button does.
      expect(batch).toBeLessThan(batchBefore);
      expect(rate).toBeCloseTo((rateBefore * batch) / batchBefore, 5);
      // At least one batch an epoch, in whole batches.
      expect(images).toBeGreaterThanOrEqual(batch);
      expect(images % batch).toBe(0);
      if (gpu) {
        const suggested = Number(/batch (\d+)/.exec((await suggestion.textContent())!)![1]);
        expect(batch).toBeLessThanOrEqual(suggested);
      }
      await plan.scrollIntoViewIfNeeded();
      await screenshot(page, 'first-look-resnet50');
      expect(await seriousAxeViolations(page)).toEqual([]);

      await use.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => panel.getByLabel('Batch size', { exact: true }).inputValue()).toBe(String(batch));
      expect(await panel.getByLabel('Training images', { exact: true }).inputValue()).toBe(String(images));
      expect(Number(await panel.getByLabel('Learning rate (peak)', { exact: true }).inputValue())).toBe(rate);
      await panel.getByRole('button', { name: 'Start training' }).click();
      // Past the worker's memory check, the model is built and checked: or the run was refused.
      const refused = panel.locator('.train-error');
      const built = panel.locator('.model-check');
      await refused.or(built).first().waitFor({ timeout: 90_000 });
      expect(await refused.count(), (await refused.allTextContents()).join(' ')).toBe(0);
      expect(await built.textContent()).toMatch(/A step needs about [\d.]+ (MB|GB)\./);
      await stopIfRunning(panel);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);

  it.each(['wasm', 'webgpu'])(
    'ResNet-20 at the default batch (64) still starts on %s: the budget, now with tfjs’ overhead, holds its step',
    async (backend) => {
      const { page, errors } = await openApp(app.browser, app.url, 1280, 900);
      try {
        await pickPreset(page, 'resnet20-a');
        await page.getByRole('tab', { name: 'Train' }).click();
        const panel = page.locator('.train-panel');
        await panel.getByLabel('Data set', { exact: true }).selectOption('synthetic');
        await panel.getByLabel('Backend', { exact: true }).selectOption(backend);
        expect(await panel.getByLabel('Batch size', { exact: true }).inputValue()).toBe('64');
        await panel.getByLabel('Epochs', { exact: true }).fill('20');
        await panel.getByLabel('Training images', { exact: true }).fill('640');
        await panel.getByLabel('Test images', { exact: true }).fill('64');
        await panel.getByRole('button', { name: 'Start training' }).click();
        const refused = panel.locator('.train-error');
        const built = panel.locator('.model-check');
        await refused.or(built).first().waitFor({ timeout: 90_000 });
        expect(await refused.count(), (await refused.allTextContents()).join(' ')).toBe(0);
        // ResNet-20 holds ≈ 16 MB an image in a step: about 1 GB at 64, within the tab's 1.5–2 GB.
        expect(await built.textContent()).toMatch(/A step needs about 1\.0\d GB\./);
        expect(await panel.locator('.train-status').innerText()).toContain(backend === 'wasm' ? 'WASM' : 'WebGPU');
        await stopIfRunning(panel);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    },
    180_000,
  );

  it('VGG16: where not even one image fits, the plan says a run is refused and offers no first look', async () => {
    const { page, errors } = await openApp(app.browser, app.url, 1280, 900);
    try {
      await pickPreset(page, 'vgg16');
      await page.getByRole('tab', { name: 'Train' }).click();
      const panel = page.locator('.train-panel');
      const plan = panel.getByTestId('train-plan');
      await expect
        .poll(() => plan.innerText())
        .toContain("Not even one image a step fits this tab's memory: a run of this model is refused.");
      expect(await plan.getByRole('button').count()).toBe(0);
      await panel.getByRole('button', { name: 'Start training' }).click();
      await expect
        .poll(() => panel.locator('.train-error').textContent(), { timeout: 120_000 })
        .toMatch(/Not even one image a step fits: the weights, gradients and optimizer state alone exceed it\./);
      await plan.scrollIntoViewIfNeeded();
      await screenshot(page, 'first-look-vgg16');
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);
});
