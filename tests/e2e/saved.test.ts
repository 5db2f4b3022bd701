import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { toProjectFile } from '../../src/io/project/format';
import { modelFromHash } from '../../src/io/share-url';
import { presetModel } from '../../src/presets';
import { modelPart } from '../../src/state/link-view';
import { UNREADABLE } from '../state/unreadable';
import {
  embedHost,
  hostMessages,
  openPalette,
  outputOf,
  pickPreset,
  row,
  selectLayer,
  sendToApp,
  typeField,
} from './app';
import { collectPageErrors, screenshot, seriousAxeViolations, serveRoutes, useAppServer } from './harness';

const app = useAppServer();

/** A browser profile whose localStorage holds `entries` before the app first runs in it. */
async function profile(entries: Record<string, string> = {}): Promise<BrowserContext> {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript((seed) => {
    if (localStorage.getItem('test:seeded')) return;
    for (const [key, value] of Object.entries(seed)) localStorage.setItem(key, value);
    localStorage.setItem('test:seeded', '1');
  }, entries);
  return context;
}

/** A tab of `context` with the app at `url`, once its layers are on screen. */
async function tab(context: BrowserContext, url = app.url): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(url);
  await page.locator('.rows').first().waitFor();
  return { page, errors };
}

const stored = (page: Page, key = 'convscope:autosave') => page.evaluate((k) => localStorage.getItem(k), key);
const storedFilters = async (page: Page, layer: string, key?: string) => {
  const text = await stored(page, key);
  return text
    ? (JSON.parse(text) as { layers: { name: string; filters?: number }[] }).layers.find((l) => l.name === layer)
        ?.filters
    : null;
};
const notice = (page: Page, topic: string) => page.locator(`.notice[data-topic="${topic}"]`);
const title = (page: Page) => page.locator('.model-title').textContent();
/** Longer than a save takes (300 ms after the last change), so a save that should not happen would have. */
const settle = (page: Page) => page.waitForTimeout(800);
const lenetFile = JSON.stringify(toProjectFile(presetModel('lenet5')));

describe('opening a link keeps the autosave', () => {
  it('a ?src= model is shown without replacing the autosaved work, which the notice (and the Model menu) opens again', async () => {
    const files = await serveRoutes({ '/lenet.json': { body: lenetFile } });
    const context = await profile();
    try {
      const { page, errors } = await tab(context);
      await pickPreset(page, 'mnist');
      await selectLayer(page, 'conv2');
      await typeField(page, 'out_channels', '48');
      await expect.poll(() => storedFilters(page, 'conv2')).toBe(48);
      const mine = await stored(page);

      await page.goto(`${app.url}?src=${encodeURIComponent(`${files.origin}/lenet.json`)}`);
      await expect.poll(() => title(page)).toBe('LeNet-5');
      await expect
        .poll(() => notice(page, 'autosave').textContent())
        .toContain(
          'Opened from a link. Your autosaved model “MNIST CNN” is kept: the Model menu has it under Saved in this browser.',
        );
      await screenshot(page, 'saved-link-keeps-autosave-1280x800');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await settle(page);
      expect(await stored(page)).toBe(mine);
      await page.reload();
      await expect.poll(() => title(page)).toBe('LeNet-5');
      await settle(page);
      expect(await stored(page)).toBe(mine);

      // The Model menu offers it, and so does the notice.
      const picker = page.getByRole('combobox', { name: 'Model', exact: true });
      await picker.selectOption({ label: 'Autosaved: MNIST CNN' });
      await expect.poll(() => title(page)).toBe('MNIST CNN');
      expect(await outputOf(page, 'conv2')).toBe('48×14×14');
      await page.goto(`${app.url}?src=${encodeURIComponent(`${files.origin}/lenet.json`)}`);
      await notice(page, 'autosave').getByRole('button', { name: 'Open it' }).click();
      await expect.poll(() => title(page)).toBe('MNIST CNN');
      expect(await outputOf(page, 'conv2')).toBe('48×14×14');
      await settle(page);
      expect(await stored(page)).toBe(mine);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await files.close();
    }
  });

  it('a slow ?src= says it is loading; when it arrives after the person’s edits, it asks, and Undo brings the edits back', async () => {
    const files = await serveRoutes({ '/lenet.json': { body: lenetFile } });
    const context = await profile();
    try {
      const page = await context.newPage();
      let release = () => {};
      const arrived = new Promise<void>((resolve) => (release = resolve));
      await page.route(`${files.origin}/lenet.json`, async (route) => {
        await arrived;
        await route.continue();
      });
      await page.goto(`${app.url}?src=${encodeURIComponent(`${files.origin}/lenet.json`)}`);
      await page.locator('.rows').first().waitFor();
      await expect
        .poll(() => notice(page, 'src').textContent())
        .toContain(`Loading the model from ${files.origin}/lenet.json…`);
      await screenshot(page, 'saved-src-loading-1280x800');
      await selectLayer(page, 'conv1');
      await typeField(page, 'out_channels', '24');
      await expect.poll(() => outputOf(page, 'conv1')).toBe('24×32×32');

      release();
      await expect
        .poll(() => notice(page, 'src').textContent())
        .toContain(
          `The model from ${files.origin}/lenet.json (“LeNet-5”) has arrived, but you have changed the model since.`,
        );
      expect(await title(page)).toBe('ResNet-20 (option A) (edited)');
      expect(await outputOf(page, 'conv1')).toBe('24×32×32');
      await screenshot(page, 'saved-src-arrived-after-edits-1280x800');
      expect(await seriousAxeViolations(page)).toEqual([]);

      await notice(page, 'src').getByRole('button', { name: 'Open it' }).click();
      await expect.poll(() => title(page)).toBe('LeNet-5');
      expect(await notice(page, 'src').textContent()).toContain('Opened “LeNet-5”. Undo brings your changes back.');
      await page.locator('body').press('Control+z');
      await expect.poll(() => title(page)).toBe('ResNet-20 (option A) (edited)');
      expect(await outputOf(page, 'conv1')).toBe('24×32×32');
    } finally {
      await context.close();
      await files.close();
    }
  });
});

describe('two tabs', () => {
  it('neither overwrites the other’s autosave silently: the tab that would is told, and the person chooses', async () => {
    const context = await profile();
    try {
      const a = await tab(context);
      await pickPreset(a.page, 'lenet5');
      await selectLayer(a.page, 'c3');
      await typeField(a.page, 'out_channels', '20');
      await expect.poll(() => storedFilters(a.page, 'c3')).toBe(20);

      const b = await tab(context);
      expect(await title(b.page)).toBe('LeNet-5 (edited)');
      await typeField(a.page, 'out_channels', '24');
      await expect.poll(() => storedFilters(a.page, 'c3')).toBe(24);
      await selectLayer(b.page, 'c3');
      await typeField(b.page, 'out_channels', '32');
      await expect
        .poll(() => notice(b.page, 'saving').textContent())
        .toContain(
          'Another tab saved a different model (“LeNet-5 (edited)”). This tab has stopped autosaving so as not to replace it. The address still holds this tab’s model.',
        );
      await settle(b.page);
      expect(await storedFilters(b.page, 'c3')).toBe(24);
      await screenshot(b.page, 'saved-two-tabs-conflict-1280x800');
      expect(await seriousAxeViolations(b.page)).toEqual([]);

      await notice(b.page, 'saving').getByRole('button', { name: 'Autosave this tab’s model' }).click();
      await expect.poll(() => storedFilters(b.page, 'c3')).toBe(32);
      expect(await storedFilters(b.page, 'c3', 'convscope:autosave:previous')).toBe(24);
      // Tab A's work was replaced: it is told at once (a storage event), and does not fight back.
      await expect.poll(() => notice(a.page, 'saving').textContent()).toContain('Another tab saved a different model');
      await notice(a.page, 'saving').getByRole('button', { name: 'Open the other tab’s model' }).click();
      await expect.poll(() => outputOf(a.page, 'c3')).toBe('32×10×10');
      expect(await a.page.locator('option', { hasText: 'Autosaved before: LeNet-5' }).count()).toBe(1);
      expect([...a.errors, ...b.errors]).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('an autosave this ConvScope cannot read', () => {
  it.each(Object.entries(UNREADABLE))(
    'a %s one is kept and said, not replaced by the default model',
    async (kind, bad) => {
      const context = await profile({ 'convscope:autosave': bad });
      try {
        const { page, errors } = await tab(context);
        expect(await title(page)).toBe('ResNet-20 (option A)');
        const said = notice(page, 'kept');
        await expect
          .poll(() => said.textContent())
          .toContain(
            kind === 'newer version'
              ? 'Your autosaved model was made by a newer ConvScope (format version 2; this one reads version 1). It is kept in this browser and will not be overwritten'
              : 'Your autosaved model could not be read (',
          );
        await screenshot(page, `saved-unreadable-${kind.replace(' ', '-')}-1280x800`);
        await pickPreset(page, 'lenet5');
        await expect.poll(async () => JSON.parse((await stored(page)) ?? '{}').name).toBe('LeNet-5');
        const kept = await page.evaluate(() =>
          Object.keys(localStorage)
            .filter((k) => k.startsWith('convscope:autosave:kept:'))
            .map((k) => localStorage.getItem(k)),
        );
        expect(kept).toEqual([bad]);

        const other = await tab(context);
        const [download] = await Promise.all([
          other.page.waitForEvent('download'),
          notice(other.page, 'kept').getByRole('button', { name: 'Download it' }).click(),
        ]);
        expect(readFileSync((await download.path())!, 'utf8')).toBe(bad);
        expect([...errors, ...other.errors]).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );
});

describe('a full storage', () => {
  it('is said once, not at every edit; the address still holds the model', async () => {
    const context = await profile();
    await context.addInitScript(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key: string, value: string) {
        if (this === window.localStorage) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        setItem.call(this, key, value);
      };
    });
    try {
      const { page, errors } = await tab(context);
      await pickPreset(page, 'lenet5');
      const said = page.locator('.notice.error[data-topic="saving"]');
      await expect
        .poll(() => said.textContent())
        .toContain(
          'Not saved in this browser: its storage is full. The address still holds this model; save it as a file to keep it.',
        );
      const first = await said.elementHandle();
      await selectLayer(page, 'c3');
      await typeField(page, 'out_channels', '20');
      await expect
        .poll(() => modelFromHash(new URL(page.url()).hash))
        .toMatchObject({
          ok: true,
          model: {
            layers: expect.arrayContaining([
              expect.objectContaining({ name: 'c3', spec: expect.objectContaining({ filters: 20 }) }),
            ]),
          },
        });
      await settle(page);
      expect(await page.locator('.notice').count()).toBe(1);
      expect(await first?.evaluate((n) => n.isConnected)).toBe(true);
      await screenshot(page, 'saved-storage-full-1280x800');
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        said.getByRole('button', { name: 'Save file' }).click(),
      ]);
      expect(file.suggestedFilename()).toBe('LeNet-5_edited_.convscope.json');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/** The model part of a link (the view settings after it follow the selection). */
const linkModel = (url: string) => modelPart(new URL(url).hash);

/** A model whose link is longer than links may be: layer names of random letters barely compress. */
function bigModelFile(): string {
  const lenet = toProjectFile(presetModel('lenet5')) as { layers: Record<string, unknown>[] };
  const random = () =>
    Array.from({ length: 800 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)]).join('');
  const layers = [
    lenet.layers[0],
    { type: 'Flatten', name: 'flatten' },
    ...Array.from({ length: 100 }, (_, i) => ({ type: 'Dense', units: 8, name: `d${i}_${random()}` })),
  ];
  return JSON.stringify({ format: 'convscope.model', version: 1, name: 'big', layers });
}

describe('a model too big for a link', () => {
  it('leaves the last link in the address and says so; a reload brings back this model, not the older one', async () => {
    const context = await profile();
    try {
      const { page, errors } = await tab(context);
      await pickPreset(page, 'lenet5');
      await selectLayer(page, 'c3');
      await typeField(page, 'out_channels', '20');
      await expect.poll(() => outputOf(page, 'c3')).toBe('20×10×10');
      await expect
        .poll(async () => {
          const read = modelFromHash(new URL(page.url()).hash);
          return read?.ok && read.model.layers.find((l) => l.name === 'c3')?.spec;
        })
        .toMatchObject({ filters: 20 });
      const lastLink = page.url();

      await page
        .locator('input[type="file"]')
        .setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(bigModelFile()) });
      await expect.poll(() => title(page)).toBe('big');
      await expect
        .poll(() => notice(page, 'link').textContent())
        .toMatch(
          /^This model is too big for a link \(its link would be \d+(\.\d)? KB; links hold up to 64 KB\), so the address still shows the last model that fitted\./,
        );
      await settle(page);
      expect(linkModel(page.url())).toBe(linkModel(lastLink));
      await screenshot(page, 'saved-too-big-for-link-1280x800');
      await page.getByRole('button', { name: 'Share link' }).click();
      await expect
        .poll(() => notice(page, 'link').textContent())
        .toContain('This model is too big for a link; save it as a file to share it.');

      await page.reload();
      await expect.poll(() => title(page)).toBe('big');
      expect(await page.locator('.rows li.layer-row').count()).toBe(102);
      expect(await notice(page, 'link').textContent()).toContain('This model is too big for a link');
      expect(linkModel(page.url())).toBe(linkModel(lastLink));
      // Back to a model that fits: the link holds it again, and the notice goes.
      await page.locator('body').press('Control+z');
      await expect.poll(() => title(page)).toBe('LeNet-5 (edited)');
      expect(await outputOf(page, 'c3')).toBe('20×10×10');
      await expect.poll(() => notice(page, 'link').count()).toBe(0);
      expect(linkModel(page.url())).toBe(linkModel(lastLink));
      await page.locator('body').press('Control+Shift+z');
      await expect.poll(() => title(page)).toBe('big');
      await expect.poll(() => notice(page, 'link').count()).toBe(1);

      // A new tab without a link opens the autosave, which has the big model (it was opened as a file).
      const fresh = await tab(context);
      expect(await title(fresh.page)).toBe('big');
      expect([...errors, ...fresh.errors]).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('undo across a reload', () => {
  it('a reload keeps the tab’s undo and redo steps; another tab starts its own', async () => {
    const context = await profile();
    try {
      const { page } = await tab(context);
      await pickPreset(page, 'lenet5');
      await selectLayer(page, 'c3');
      await typeField(page, 'out_channels', '20');
      await openPalette(page);
      await page.getByRole('button', { name: 'Dropout', exact: true }).click();
      await expect
        .poll(() => modelFromHash(new URL(page.url()).hash))
        .toMatchObject({
          ok: true,
          model: { layers: expect.arrayContaining([expect.objectContaining({ name: 'dropout' })]) },
        });
      const withDropout = page.url();
      await page.reload();
      await page.locator('.rows').first().waitFor();
      expect(await row(page, 'dropout').count()).toBe(1);
      await page.locator('body').press('Control+z');
      await expect.poll(() => row(page, 'dropout').count()).toBe(0);
      await page.locator('body').press('Control+z');
      await expect.poll(() => outputOf(page, 'c3')).toBe('16×10×10');
      await page.locator('body').press('Control+Shift+z');
      await page.locator('body').press('Control+Shift+z');
      await expect.poll(() => row(page, 'dropout').count()).toBe(1);
      expect(await outputOf(page, 'c3')).toBe('20×10×10');

      // The same link in another tab: the model, without this tab's steps (undo goes back to the start).
      await expect.poll(() => linkModel(page.url())).toBe(linkModel(withDropout));
      const other = await tab(context, page.url());
      expect(await row(other.page, 'dropout').count()).toBe(1);
      await other.page.locator('body').press('Control+z');
      await expect.poll(() => title(other.page)).toBe('ResNet-20 (option A)');
    } finally {
      await context.close();
    }
  });
});

describe('embed mode and the host page’s history', () => {
  it('loads and edits add no history entries to the host page, and a 50 MB model never goes into the address', async () => {
    const host = await embedHost(app.url, 'self');
    try {
      const page = await app.browser.newPage({ viewport: { width: 900, height: 700 } });
      const errors = collectPageErrors(page);
      await page.goto(`${host.origin}/host.html`);
      await expect
        .poll(async () => (await hostMessages(page)).map((m) => m.type))
        .toEqual(['convscope:ready', 'convscope:summary']);
      const entries = await page.evaluate(() => history.length);
      const frame = page.frames().find((f) => f.url().startsWith(app.url));
      if (!frame) throw new Error('no app frame');
      const frameUrl = frame.url();

      await sendToApp(page, { type: 'convscope:load', model: toProjectFile(presetModel('lenet5')) });
      await expect.poll(() => frame.locator('.model-title').textContent()).toBe('LeNet-5');
      await frame.locator('li.layer-row[data-row="c3"] .row-main').click();
      await frame.locator('.layer-form').getByLabel('out_channels', { exact: true }).fill('20');
      await expect
        .poll(() => frame.locator('li.layer-row[data-row="c3"] [data-col="output"]').textContent())
        .toBe('20×10×10');
      await sendToApp(page, { type: 'convscope:load', model: toProjectFile(presetModel('mnist')) });
      await expect.poll(() => frame.locator('.model-title').textContent()).toBe('MNIST CNN');
      await page.waitForTimeout(800);
      expect(await page.evaluate(() => history.length)).toBe(entries);
      expect(frame.url()).toBe(frameUrl);

      const count = (await hostMessages(page)).length;
      await page.evaluate(() => {
        const blob = 'x'.repeat(5 * 1024 * 1024);
        const layers = [
          { type: 'Input', shape: [8], name: 'in' },
          ...Array.from({ length: 10 }, (_, i) => ({ type: 'Dense', units: 4, name: `d${i}`, note: blob })),
        ];
        (window as unknown as { send: (m: unknown) => void }).send({
          type: 'convscope:load',
          model: { name: 'huge', layers },
        });
      });
      await expect.poll(async () => (await hostMessages(page)).length, { timeout: 60_000 }).toBeGreaterThan(count);
      // The frame still answers, and its address is as the host set it.
      expect(await frame.evaluate(() => document.readyState)).toBe('complete');
      await page.waitForTimeout(800);
      expect(frame.url()).toBe(frameUrl);
      expect(await page.evaluate(() => history.length)).toBe(entries);
      // The host page has no favicon.
      expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
      await page.close();
    } finally {
      await host.close();
    }
  });
});
