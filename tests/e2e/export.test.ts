import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApp, pickPreset, selectLayer, typeField } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();

describe('exporting code from the editor', () => {
  it('shows the model as PyTorch, a training script, Keras and Keras JSON, highlighted, with copy and download', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await page.getByRole('button', { name: 'Export code…' }).click();
    const code = page.locator('.export-dialog pre.code');
    await expect.poll(() => code.textContent()).toContain('def build_model() -> nn.Module:');
    expect(await code.textContent()).toContain('self.conv2 = nn.Conv2d(32, 64, kernel_size=(5, 5)');
    expect(await page.locator('.export-dialog .hljs-keyword').count()).toBeGreaterThan(5);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'export-pytorch-1280x800');

    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download model.py' }).click(),
    ]);
    expect(readFileSync((await file.path())!, 'utf8')).toContain('class Model(nn.Module):');

    await page.getByRole('tab', { name: 'Training script' }).click();
    await expect.poll(() => code.textContent()).toContain('torchrun --nproc_per_node=4 train.py');
    await page.getByRole('tab', { name: 'Keras (Python)' }).click();
    await expect.poll(() => code.textContent()).toContain('layers.Conv2D(filters=64, kernel_size=(5, 5)');
    await page.getByRole('tab', { name: 'Keras JSON' }).click();
    await expect.poll(() => code.textContent()).toContain('"class_name": "Sequential"');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a model a format cannot express shows why, at which layer, and no code', async () => {
    const { page } = await openApp(app.browser, app.url);
    await pickPreset(page, 'lenet5');
    await selectLayer(page, 's2');
    await page.locator('.layer-form').getByLabel('ceil_mode', { exact: true }).check();
    await selectLayer(page, 'input');
    await typeField(page, 'shape', '1, 31, 31');
    await page.getByRole('button', { name: 'Export code…' }).click();
    await page.getByRole('tab', { name: 'Keras JSON' }).click();
    const alert = page.locator('.export-dialog [role="alert"]');
    await expect.poll(() => alert.textContent()).toContain('s2: ceil mode changes this layer');
    expect(await page.locator('.export-dialog pre.code').count()).toBe(0);
    await screenshot(page, 'export-refused-1280x800');
    await page.getByRole('tab', { name: 'PyTorch' }).click();
    await expect.poll(() => page.locator('.export-dialog pre.code').textContent()).toContain('ceil_mode=True');
    await page.close();
  });
});
