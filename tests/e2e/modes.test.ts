import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { readModelData } from '../../src/io/read-model';
import { summaryJson } from '../../src/io/summary/json';
import { embedHost, hostMessages as messages, openApp, pickPreset, sendToApp as send } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();

const keras = {
  class_name: 'Sequential',
  config: {
    name: 'from_host',
    layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 28, 28, 1], name: 'image' } },
      { class_name: 'Conv2D', config: { name: 'conv', filters: 8, kernel_size: [3, 3], activation: 'relu' } },
      { class_name: 'MaxPooling2D', config: { name: 'pool', pool_size: [2, 2] } },
      { class_name: 'Flatten', config: { name: 'flat' } },
      { class_name: 'Dense', config: { name: 'out', units: 10 } },
    ],
  },
};

describe('lecture mode', () => {
  it('steps through the layers by keyboard, zooms, and leaves with Esc', async () => {
    const { page, errors } = await openApp(app.browser, app.url);
    await pickPreset(page, 'mnist');
    await page.getByRole('button', { name: 'Lecture mode' }).click();
    const heading = page.locator('#lecture-layer');
    await expect.poll(() => heading.textContent()).toContain('conv1');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await heading.textContent()).toContain('conv2');
    expect(await page.locator('.big-shape').textContent()).toBe('32×14×14 → 64×14×14');
    expect(await page.locator('.lecture-view .why').textContent()).toContain('64 filters, each 32×5×5');
    const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    const before = await size();
    expect(before).toBeGreaterThanOrEqual(20);
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    expect(await size()).toBeGreaterThan(before);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'lecture-1280x800');
    await page.keyboard.press('ArrowUp');
    expect(await heading.textContent()).toContain('pool1');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.editor').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens with ?lecture=1 in the dark theme, and looks right at 400×600', async () => {
    const page = await app.browser.newPage({ viewport: { width: 400, height: 600 }, colorScheme: 'dark' });
    await page.goto(`${app.url}?lecture=1`);
    await page.locator('#lecture-layer').waitFor();
    await screenshot(page, 'lecture-dark-400x600');
    await page.close();
  });
});

describe('embed mode and its postMessage API', () => {
  it('talks to a host page on another origin: ready, load → summary (the CLI --json object), errors', async () => {
    const host = await embedHost(app.url, 'self');
    try {
      const page = await app.browser.newPage({ viewport: { width: 900, height: 700 } });
      await page.goto(`${host.origin}/host.html`);
      await expect
        .poll(async () => (await messages(page)).map((m) => m.type))
        .toEqual(['convscope:ready', 'convscope:summary']);
      expect((await messages(page))[0]).toEqual({ type: 'convscope:ready', version: '1' });

      await send(page, { type: 'convscope:load', model: keras });
      await expect.poll(async () => (await messages(page)).length).toBe(3);
      const read = readModelData(keras);
      if (!read.ok) throw new Error(read.error);
      expect((await messages(page))[2]).toEqual({
        type: 'convscope:summary',
        summary: JSON.parse(JSON.stringify(summaryJson(analyzeModel(read.model)))),
      });
      const frame = page.frameLocator('#app');
      await expect.poll(() => frame.locator('.model-title').textContent()).toBe('from_host');

      await send(page, {
        type: 'convscope:load',
        model: JSON.stringify({ ...keras, config: { ...keras.config, name: 'as_text' } }),
      });
      await expect
        .poll(async () => (await messages(page)).at(-1))
        .toMatchObject({ type: 'convscope:summary', summary: { name: 'as_text' } });

      const count = (await messages(page)).length;
      await send(page, { type: 'convscope:load', model: 42 });
      await send(page, { type: 'convscope:load', model: '{"layers": [' });
      await send(page, { type: 'something-else', model: keras });
      await send(page, 'hello');
      await expect
        .poll(async () => (await messages(page)).slice(count).map((m) => m.type))
        .toEqual(['convscope:error', 'convscope:error']);
      expect(String((await messages(page)).at(-1)?.['message'])).toContain('Not valid JSON');
      expect(await frame.locator('.model-title').textContent()).toBe('as_text');
      await screenshot(page, 'embed-host-400x600-frame');
      await page.close();
    } finally {
      await host.close();
    }
  });

  it('with ?origin= set to another site, it neither answers nor obeys this host', async () => {
    const host = await embedHost(app.url, 'https://docs.example.org');
    try {
      const page = await app.browser.newPage();
      await page.goto(`${host.origin}/host.html`);
      await page.frameLocator('#app').locator('.model-title').waitFor();
      await send(page, { type: 'convscope:load', model: keras });
      await page.waitForTimeout(1000);
      expect(await messages(page)).toEqual([]);
      expect(await page.frameLocator('#app').locator('.model-title').textContent()).toBe('ResNet-20 (option A)');
      await page.close();
    } finally {
      await host.close();
    }
  });

  it('fits a 400-pixel frame without chrome and is accessible', async () => {
    const { page } = await openApp(app.browser, `${app.url}?embed=1`, 400, 600);
    expect(await page.locator('.app-header').count()).toBe(0);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'embed-400x600');
    await page.close();
    const wide = await openApp(app.browser, `${app.url}?embed=1`, 1280, 800);
    await screenshot(wide.page, 'embed-1280x800');
    await wide.page.close();
  });
});
