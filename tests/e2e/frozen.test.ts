import { describe, expect, it } from 'vitest';
import { jsonToHash, modelFromHash } from '../../src/io/share-url';
import { openApp, pickPreset, row, selectLayer } from './app';
import { useAppServer } from './harness';

const app = useAppServer();

describe('freezing a layer in the editor', () => {
  it('the Trainable switch works by keyboard, marks the row, moves the totals, follows the link and undoes', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await selectLayer(page, 'conv2');
    const trainable = page.locator('.inspector').getByRole('checkbox', { name: 'Trainable' });
    expect(await trainable.isChecked()).toBe(true);
    await trainable.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => trainable.isChecked()).toBe(false);
    // The row says so to everyone: a mark, and "frozen" in the row's accessible name.
    await expect.poll(() => row(page, 'conv2').getByRole('img', { name: 'frozen' }).count()).toBe(1);
    // conv2: 32·64·5·5 + 64 = 51,264 weights, now frozen (PyTorch: still parameters, requires_grad False).
    await expect.poll(() => page.getByTestId('totals').textContent()).toContain('51,264 frozen');
    await page.getByRole('radio', { name: /Keras/ }).check();
    await expect.poll(() => page.getByTestId('totals').textContent()).toMatch(/51,264 non-trainable/);
    await expect
      .poll(() => {
        const read = modelFromHash(new URL(page.url()).hash);
        return read?.ok ? read.model.layers.find((l) => l.name === 'conv2')?.trainable : 'unread';
      })
      .toBe(false);
    // Ctrl+Z from outside a form control (the notation radio keeps its own keys).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.locator('body').press('Control+z');
    await expect.poll(() => row(page, 'conv2').getByRole('img', { name: 'frozen' }).count()).toBe(0);
    await expect.poll(() => page.getByTestId('totals').textContent()).toMatch(/0 non-trainable/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a layer that cannot be analysed makes the header say "at least", not an exact-looking total', async () => {
    const layers = [
      { name: 'in', type: 'Input', shape: [3, 8, 8] },
      { name: 'conv', type: 'Conv2D', filters: 4, kernelSize: 3 },
      { name: 'mystery', type: 'NoSuchLayer' },
      { name: 'flat', type: 'Flatten' },
      { name: 'head', type: 'Dense', units: 2 },
    ];
    const hash = jsonToHash(JSON.stringify({ dataFormat: 'channels_first', layers }));
    const { page } = await openApp(app.browser, `${app.url}${hash}`);
    // Only conv's 3·3·3·4 + 4 = 112 weights are known; head's depend on the unknown layer.
    await expect.poll(() => page.getByTestId('totals').textContent()).toContain('at least 112');
    await page.close();
  });
});
