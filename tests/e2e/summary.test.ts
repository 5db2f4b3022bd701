import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, seriousAxeViolations, startApp } from './harness';

let browser: Browser;
let server: ViteDevServer;
let url: string;

beforeAll(async () => {
  browser = await launchBrowser();
  ({ url, server } = await startApp());
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(width = 1280, height = 800): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = collectPageErrors(page);
  await page.goto(url);
  await page.getByRole('table').waitFor();
  return { page, errors };
}

const cell = (page: Page, layer: string, col: number) =>
  page.locator(`tr[data-layer="${layer}"]`).first().locator('th, td').nth(col);

describe('the summary page, in Chromium', () => {
  it('opens on ResNet-20 and shows each shape and kernel in PyTorch notation, then in Keras notation', async () => {
    const { page, errors } = await open();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).textContent()).toBe('ResNet-20 (option A)');
    expect(await cell(page, 'stage1_block3', 2).textContent()).toBe('16×32×32');
    expect(await cell(page, 'conv1', 3).textContent()).toContain('16×3×3×3');
    expect(await page.locator('.totals').textContent()).toContain('271,098');
    await screenshot(page, 'summary-resnet20-pytorch-1280x800');

    await page.getByRole('radio', { name: /Keras/ }).check();
    expect(await cell(page, 'stage1_block3', 2).textContent()).toBe('32×32×16');
    expect(await cell(page, 'stage2_block1', 2).textContent()).toBe('16×16×32');
    expect(await cell(page, 'conv1', 3).textContent()).toContain('3×3×3×16');
    await screenshot(page, 'summary-resnet20-keras-1280x800');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a block by keyboard to show the layers inside it', async () => {
    const { page } = await open();
    const toggle = page.getByRole('button', { name: '8 layers inside stage2_block1' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('true');
    const shortcut = page.locator('tr.child[data-layer="shortcut"]').first();
    expect(await shortcut.locator('td').nth(0).textContent()).toBe('ZeroPadShortcut');
    expect(await shortcut.locator('td').nth(1).textContent()).toBe('32×16×16');
    await screenshot(page, 'summary-block-open-1280x800');
    await page.close();
  });

  it('switches to VGG16 and shows its published totals and pool5 receptive field', async () => {
    const { page } = await open();
    await page.getByLabel('Model').selectOption('vgg16');
    await expect.poll(() => page.locator('.totals').textContent()).toContain('138,357,544');
    expect(await cell(page, 'block5_pool', 6).textContent()).toBe('212 / 32 / -90');
    await page.close();
  });

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    const { page } = await open();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('stays usable in a 400-pixel-wide window', async () => {
    const { page } = await open(400, 700);
    await screenshot(page, 'summary-400x700');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
