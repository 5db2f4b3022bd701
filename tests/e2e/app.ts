import type { Browser, Page } from 'playwright-core';
import { collectPageErrors } from './harness';

/** Opens the app in a fresh browser context (no autosave from other tests). */
export async function openApp(
  browser: Browser,
  url: string,
  width = 1280,
  height = 800,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = collectPageErrors(page);
  await page.goto(url);
  await page.locator('.rows').first().waitFor();
  return { page, errors };
}

/** The row of a layer in the layer list. */
export const row = (page: Page, name: string) => page.locator(`li.layer-row[data-row="${name}"]`);

/** The output shape the layer list shows for a layer. */
export const outputOf = (page: Page, name: string) => row(page, name).locator('[data-col="output"]').textContent();

/** Sets a field of the selected layer as a user types it. */
export async function typeField(page: Page, field: string, value: string): Promise<void> {
  const input = page.locator('.layer-form').getByLabel(field, { exact: true });
  await input.fill(value);
}

export async function selectLayer(page: Page, name: string): Promise<void> {
  await row(page, name).locator('.row-main').click();
}

/** Opens a built-in model from the Model menu. */
export async function pickPreset(page: Page, id: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption(id);
}
