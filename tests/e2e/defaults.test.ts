import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, openPalette, outputOf, pickPreset, selectLayer } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

/** Defaults a student meets: the palette's layers and the Train tab's data set follow the frameworks and the model. */
const app = useAppServer();
// The Train tab is tall: 1,300 pixels show Start and what it waits for in each screenshot.
/** The shared CIFAR-10 subset beside the project (../shared/data/README.md), or $CONVSCOPE_CIFAR10. */
const cifarSubset =
  process.env['CONVSCOPE_CIFAR10'] ??
  fileURLToPath(new URL('../../../shared/data/cifar-10-binary-subset.tar.gz', import.meta.url));

const NEEDS_ARCHIVE =
  'CIFAR-10 needs its archive first: choose or drop the official cifar-10-binary.tar.gz above, or give its address.';

async function trainTab(page: Page) {
  await page.getByRole('tab', { name: 'Train' }).click();
  const panel = page.locator('.train-panel');
  await panel.waitFor();
  return panel;
}

const dataSet = (panel: ReturnType<Page['locator']>) => panel.getByLabel('Data set', { exact: true });

describe('the palette adds layers with the frameworks’ defaults', () => {
  it('a Conv2D after a 28×28 input reads 26×26, as in Keras and PyTorch (no padding)', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await selectLayer(page, 'input');
    await openPalette(page);
    await page.getByRole('button', { name: 'Conv2D', exact: true }).click();
    expect(await outputOf(page, 'conv2d')).toBe('32×26×26');
    expect(await row3x3(page)).toBe('32×1×3×3 · 32');
    await page.getByRole('radio', { name: /Keras/ }).check();
    expect(await outputOf(page, 'conv2d')).toBe('26×26×32');
    expect(errors).toEqual([]);
    await page.close();
  });
});

const row3x3 = (page: Page) => page.locator('li.layer-row[data-row="conv2d"] [data-col="weights"]').textContent();

describe('the Train tab’s data set follows the model', () => {
  it('MNIST preset: MNIST, how long the whole run takes and a run of about a minute, one click away', async () => {
    const { page, errors } = await openApp(app.browser, app.url, 1280, 1300);
    await pickPreset(page, 'mnist');
    const panel = await trainTab(page);
    expect(await dataSet(panel).inputValue()).toBe('mnist');
    const plan = panel.getByTestId('train-plan');
    // Estimated from its MACs and 3.27 M parameters before any run: about 28 images/s, as measured on WASM.
    await expect
      .poll(() => plan.innerText())
      .toMatch(/^At about 2\d images\/s \(estimated from 42 M MACs per image trained and the parameters/);
    expect(await plan.innerText()).toContain('3 epochs of all 8,000 training images take about 14 minutes.');
    expect(await plan.innerText()).toContain(
      'For a first look, 512 images an epoch in batches of 64 end in about a minute.',
    );
    const use = plan.getByRole('button', { name: 'Use 512 images, batch 64' });
    await screenshot(page, 'train-tab-mnist');
    await use.click();
    expect(await panel.getByLabel('Batch size', { exact: true }).inputValue()).toBe('64');
    expect(await panel.getByLabel('Training images', { exact: true }).inputValue()).toBe('512');
    expect(await plan.innerText()).toContain('take about a minute; all 8,000 would take about 14 minutes.');
    expect(await use.count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('CIFAR-10 ResNet: CIFAR-10, and Start waits for the archive, saying so; a picked data set stays', async () => {
    const { page, errors } = await openApp(app.browser, app.url, 1280, 1300);
    await pickPreset(page, 'resnet20-a');
    const panel = await trainTab(page);
    expect(await dataSet(panel).inputValue()).toBe('cifar10');
    const start = panel.getByRole('button', { name: 'Start training' });
    expect(await start.isDisabled()).toBe(true);
    expect(await panel.locator('#train-missing-data').innerText()).toBe(NEEDS_ARCHIVE);
    expect(await start.getAttribute('aria-describedby')).toBe('train-missing-data');
    await screenshot(page, 'train-tab-cifar-no-archive');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // An address is enough to start (it is fetched only then) …
    await panel.getByLabel('or its address', { exact: true }).fill('data/cifar-10-binary.tar.gz');
    expect(await start.isDisabled()).toBe(false);
    await panel.getByLabel('or its address', { exact: true }).fill('');
    expect(await start.isDisabled()).toBe(true);
    // … and so is the file.
    if (existsSync(cifarSubset)) {
      await panel.getByLabel(/^CIFAR-10 archive/).setInputFiles(cifarSubset);
      await panel.getByText('Using cifar-10-binary-subset.tar.gz.').waitFor();
      expect(await start.isDisabled()).toBe(false);
      expect(await panel.locator('#train-missing-data').count()).toBe(0);
      await screenshot(page, 'train-tab-cifar-archive');
    }
    // Another model: the data set follows it, until the user picks one.
    await pickPreset(page, 'mnist');
    expect(await dataSet(panel).inputValue()).toBe('mnist');
    await pickPreset(page, 'vgg16');
    expect(await dataSet(panel).inputValue()).toBe('synthetic');
    await dataSet(panel).selectOption('mnist');
    await pickPreset(page, 'resnet20-b');
    expect(await dataSet(panel).inputValue()).toBe('mnist');
    expect(errors).toEqual([]);
    await page.close();
  });
});
