import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, openPalette, pickPreset, row, selectLayer } from './app';
import { screenshot, seriousAxeViolations, useAppServer } from './harness';

const app = useAppServer();

interface Size {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly lecture?: boolean;
}

const SIZES: readonly Size[] = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '1366x768', width: 1366, height: 768 },
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: 'lecture-1024x768', width: 1024, height: 768, lecture: true },
];

/** Each preset with the layer and the picture a learner would open it for. */
const PRESETS = [
  { id: 'mnist', layer: 'conv2', tab: 'Convolution' },
  { id: 'resnet20-a', layer: 'conv1', tab: 'Volumes' },
  { id: 'causal-dilated', layer: 'conv_d8', tab: 'Receptive field' },
  { id: 'vgg16', layer: 'block1_conv2', tab: 'Weights' },
] as const;

const TABS = [
  'Volumes',
  'Convolution',
  'Receptive field',
  'Weights',
  'Channels',
  'Feature maps',
  'Reshape vs Permute',
  'Growth',
];

type Box = { top: number; left: number; bottom: number; right: number };

/**
 * Where the list, the picture (the box that holds the drawing) and the explanation are, how far
 * the page and the panes are scrolled, and whether the middle of the picture is the picture (not
 * something over it, not clipped away).
 */
function measure(page: Page, lecture: boolean) {
  return page.evaluate((lecture) => {
    const box = (el: Element | null): Box | null => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { top: r.top, left: r.left, bottom: r.bottom, right: r.right };
    };
    const panel = document.querySelector('#figure-panel');
    const picture =
      panel?.querySelector('.weights-scroll') ??
      panel?.querySelector('svg.figure') ??
      panel?.querySelector('.volume-scroll') ??
      panel?.querySelector('svg.growth-chart') ??
      null;
    const why = document.querySelector(lecture ? '.lecture-view .why' : '[data-testid="why"]');
    const p = box(picture);
    const hit = p
      ? document.elementFromPoint((p.left + p.right) / 2, (p.top + Math.min(p.bottom, innerHeight)) / 2)
      : null;
    return {
      viewport: { width: innerWidth, height: innerHeight },
      pageScrolled: document.scrollingElement?.scrollTop ?? 0,
      paneScrolled: [...document.querySelectorAll('.panel-body, .inspector-pane, #figure-panel')].map(
        (el) => el.scrollTop,
      ),
      list: box(document.querySelector('.layer-list')),
      selectedRow: box(document.querySelector('li.layer-row.selected .row-main')),
      picture: p,
      pictureHit: !!(hit && picture && (picture.contains(hit) || hit === picture)),
      why: box(why),
      whyText: why?.textContent ?? '',
    };
  }, lecture);
}

const inside = (b: Box | null, v: { width: number; height: number }) =>
  !!b && b.top >= 0 && b.left >= 0 && b.bottom <= v.height + 0.5 && b.right <= v.width + 0.5;

async function expectPictureFirst(page: Page, lecture: boolean, what: string) {
  const m = await measure(page, lecture);
  const where = `${what}: ${JSON.stringify(m)}`;
  expect(m.pageScrolled, where).toBe(0);
  expect(
    m.paneScrolled.every((s) => s === 0),
    where,
  ).toBe(true);
  expect(inside(m.picture, m.viewport), `picture in view, ${where}`).toBe(true);
  expect(m.pictureHit, `nothing covers the picture, ${where}`).toBe(true);
  expect(inside(m.why, m.viewport), `explanation in view, ${where}`).toBe(true);
  expect(m.whyText.length).toBeGreaterThan(20);
  expect(inside(m.selectedRow, m.viewport), `selected row in view, ${where}`).toBe(true);
  // Beside the list: the picture starts right of the list's right edge.
  expect(m.picture!.left, where).toBeGreaterThanOrEqual(m.list!.right);
}

async function setUp(page: Page, size: Size, preset: (typeof PRESETS)[number]) {
  if (size.lecture) await page.keyboard.press('Escape');
  await page.locator('.editor').waitFor();
  await pickPreset(page, preset.id);
  await selectLayer(page, preset.layer);
  await page.getByRole('tab', { name: preset.tab, exact: true }).click();
  if (size.lecture) {
    await page.getByRole('button', { name: 'Lecture mode' }).click();
    await expect.poll(() => page.locator('#lecture-layer').textContent()).toContain(preset.layer);
  }
  await page.locator('#figure-panel svg').first().waitFor();
  // Scroll positions as a visitor finds them: clicking a row may have scrolled the list only.
  await page.evaluate(() =>
    document.querySelectorAll('#figure-panel, .inspector-pane').forEach((el) => el.scrollTo(0, 0)),
  );
}

describe('picture first: the selected layer’s picture and why, beside the list, on the first screen', () => {
  for (const size of SIZES) {
    it(`at ${size.name}, for MNIST, ResNet-20, the causal dilated stack and VGG16`, async () => {
      const { page, errors } = await openApp(app.browser, app.url, size.width, size.height);
      for (const preset of PRESETS) {
        await setUp(page, size, preset);
        await expectPictureFirst(page, !!size.lecture, `${size.name} ${preset.id} ${preset.tab}`);
        await screenshot(page, `layout-${size.name}-${preset.id}`);
      }
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('at 1920×1080 the WaveNet figure is whole: every row down to the input and its time axis', async () => {
    const { page } = await openApp(app.browser, app.url, 1920, 1080);
    await setUp(page, SIZES[2]!, PRESETS[2]);
    const rows = await page.locator('#figure-panel g.field-row').evaluateAll((gs) =>
      gs.map((g) => {
        const r = g.getBoundingClientRect();
        return { name: g.querySelector('.row-name')?.textContent, top: r.top, bottom: r.bottom };
      }),
    );
    expect(rows.map((r) => r.name)).toContain('input');
    for (const r of rows) expect(r.bottom, JSON.stringify(r)).toBeLessThanOrEqual(1080);
    const axis = (await page.locator('#figure-panel g.time-axis').boundingBox())!;
    expect(axis.y + axis.height).toBeLessThanOrEqual(1080);
    await page.close();
  });
});

describe('a phone (390×844)', () => {
  it('shows the kernel shape in the row, explains a tapped row under it, and opens the palette from the top', async () => {
    const context = await app.browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.locator('.rows').waitFor();
    await pickPreset(page, 'mnist');
    // Nothing runs off the side: the header's buttons scroll in their own strip.
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
    const weights = row(page, 'conv2').locator('[data-col="weights"]');
    await weights.scrollIntoViewIfNeeded();
    expect(await weights.isVisible()).toBe(true);
    expect(await weights.textContent()).toBe('64×32×5×5 · 64');
    const box = (await weights.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);

    await row(page, 'conv2').locator('.row-main').tap();
    const why = row(page, 'conv2').getByTestId('row-why');
    await why.waitFor();
    expect(await why.textContent()).toContain('64 filters, each 32×5×5');
    const rowBox = (await row(page, 'conv2').locator('.row-main').boundingBox())!;
    const whyBox = (await why.boundingBox())!;
    expect(whyBox.y).toBeGreaterThanOrEqual(rowBox.y + rowBox.height - 1);
    expect(whyBox.y - (rowBox.y + rowBox.height)).toBeLessThan(24);
    expect(whyBox.y + whyBox.height).toBeLessThanOrEqual(844);
    await screenshot(page, 'layout-390x844-mnist');
    // Only the selected row explains itself.
    expect(await page.getByTestId('row-why').count()).toBe(1);

    await page.evaluate(() => window.scrollTo(0, 0));
    const add = page.getByRole('button', { name: 'Add layer' });
    expect((await add.boundingBox())!.y + 40).toBeLessThan(844);
    await add.tap();
    const dropout = page.getByRole('button', { name: 'Dropout', exact: true });
    await dropout.scrollIntoViewIfNeeded();
    await dropout.tap();
    await expect.poll(() => row(page, 'dropout_1').count()).toBe(1);
    await context.close();
  });

  it('with the other presets, every conv row keeps its weight shape on screen', async () => {
    const { page } = await openApp(app.browser, app.url, 390, 844);
    for (const [preset, layer, shape] of [
      ['resnet20-a', 'conv1', '16×3×3×3'],
      ['causal-dilated', 'conv_d8', '16×16×3 · 16'],
      ['vgg16', 'block1_conv2', '64×64×3×3 · 64'],
    ] as const) {
      await pickPreset(page, preset);
      const weights = row(page, layer).locator('[data-col="weights"]');
      await weights.scrollIntoViewIfNeeded();
      expect(await weights.isVisible(), preset).toBe(true);
      expect(await weights.textContent()).toBe(shape);
      await selectLayer(page, layer);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `layout-390x844-${preset}`);
    }
    await page.close();
  });
});

describe('long layer names', () => {
  for (const size of [...SIZES, { name: '390x844', width: 390, height: 844 }]) {
    it(`wrap inside their column at ${size.name}: the name never runs into the shapes`, async () => {
      const { page } = await openApp(
        app.browser,
        app.url + (size.lecture ? '?lecture=1' : ''),
        size.width,
        size.height,
      );
      if (size.lecture) await page.keyboard.press('Escape');
      await pickPreset(page, 'mnist');
      await selectLayer(page, 'conv2');
      const long = 'conv2_with_a_really_long_descriptive_name_from_a_keras_export';
      const name = page.locator('.inspector .field.rename input');
      await name.fill(long);
      await name.press('Enter');
      await row(page, long).waitFor();
      if (size.lecture) {
        await page.getByRole('button', { name: 'Lecture mode' }).click();
        await page.locator('#lecture-layer').waitFor();
      }
      const overlaps = await row(page, long)
        .locator('.row-main')
        .evaluate((main) => {
          const name = main.querySelector('.name')!.getBoundingClientRect();
          const clash = (r: DOMRect) =>
            r.width > 0 && r.left < name.right && name.left < r.right && r.top < name.bottom && name.top < r.bottom;
          return [...main.querySelectorAll('[data-col]')]
            .filter((cell) => clash(cell.getBoundingClientRect()))
            .map((cell) => cell.getAttribute('data-col'));
        });
      expect(overlaps).toEqual([]);
      const fits = await row(page, long)
        .locator('.name')
        .evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
      expect(fits).toBe(true);
      await page.close();
    });
  }
});

describe('deep layers’ numbers', () => {
  it('keep to their columns: a long receptive field ("483 / 32 / -241") wraps instead of running into the parameters', async () => {
    const { page } = await openApp(app.browser, app.url, 1280, 800);
    await pickPreset(page, 'resnet50');
    await row(page, 'conv5_block3').scrollIntoViewIfNeeded();
    // A cell's text stays inside its cell (right-aligned numbers would otherwise spill into the next column).
    const clashes = await page.evaluate(() =>
      [...document.querySelectorAll('.rows > li .row-main')].flatMap((main) =>
        [...main.querySelectorAll<HTMLElement>(':scope > [data-col]')].flatMap((cell) => {
          const box = cell.getBoundingClientRect();
          const range = document.createRange();
          // The receptive field's visible text (its spoken form is visually hidden).
          range.selectNodeContents(cell.querySelector('[aria-hidden="true"]') ?? cell);
          const text = range.getBoundingClientRect();
          const out = box.width > 0 && text.width > 0 && (text.left < box.left - 1 || text.right > box.right + 1);
          return out ? [`${main.querySelector('.name')?.textContent}: ${cell.dataset['col']}`] : [];
        }),
      ),
    );
    expect(clashes).toEqual([]);
    await screenshot(page, 'deep-rows-resnet50-1280x800');
    await page.close();
  });
});

describe('a block’s inner layers', () => {
  for (const size of [...SIZES.filter((s) => !s.lecture), { name: '390x844', width: 390, height: 844 }]) {
    it(`stay inside the list, in the rows' columns, at ${size.name}`, async () => {
      const { page } = await openApp(app.browser, app.url, size.width, size.height);
      await pickPreset(page, 'resnet20-a');
      await row(page, 'stage1_block1').locator('button.expand').click();
      await page.locator('.inner-main').first().waitFor();
      const problems = await page.evaluate(() => {
        const found: string[] = [];
        const list = document.querySelector('.rows')!.getBoundingClientRect();
        const outer = [...document.querySelector('li.layer-row[data-row="stage1_block1"] .row-main')!.children];
        // Where the list has column headers, the cells line up under them (a phone has none).
        const table = getComputedStyle(document.querySelector('.columns')!).display !== 'none';
        for (const main of document.querySelectorAll('.inner-main')) {
          const name = main.querySelector('.name')?.textContent;
          const cells = [...main.children].map((c) => c.getBoundingClientRect());
          cells.forEach((r, i) => {
            if (r.width === 0) return;
            if (r.right > list.right + 1 || r.left < list.left - 1)
              found.push(`${name}: cell ${i + 1} leaves the list`);
            cells.slice(i + 1).forEach((q, j) => {
              const clash =
                q.width > 0 &&
                r.left < q.right - 1 &&
                q.left < r.right - 1 &&
                r.top < q.bottom - 1 &&
                q.top < r.bottom - 1;
              if (clash) found.push(`${name}: cells ${i + 1} and ${i + j + 2} overlap`);
            });
            // Each number sits under its column in the block's own row (the same grid).
            const column = outer[i]?.getBoundingClientRect();
            if (table && i > 0 && column && column.width > 0 && Math.abs(column.right - r.right) > 2)
              found.push(`${name}: cell ${i + 1} is not under the block's column`);
          });
          const type = main.querySelector('.type') as HTMLElement;
          // A type breaks between its words, never inside one ("Batch" / "Normalization").
          const range = document.createRange();
          range.selectNodeContents(type);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
          const words = type.textContent!.split(/(?<=[a-z])(?=[A-Z][a-z])/).length;
          if (lines > words) found.push(`${name}: its type breaks inside a word`);
        }
        return found;
      });
      expect(problems).toEqual([]);
      await screenshot(page, `inner-rows-${size.name}`);
      await page.close();
    });
  }
});

describe('axe on every picture tab at every size', () => {
  for (const size of [...SIZES, { name: '390x844', width: 390, height: 844 }]) {
    it(`is clean at ${size.name}`, async () => {
      const { page } = await openApp(app.browser, app.url, size.width, size.height);
      await pickPreset(page, 'mnist');
      await selectLayer(page, 'conv2');
      if (size.lecture) {
        await page.getByRole('button', { name: 'Lecture mode' }).click();
        await page.locator('#lecture-layer').waitFor();
      }
      const found: string[] = [];
      for (const tab of TABS) {
        const button = page.getByRole('tab', { name: tab, exact: true });
        await button.click();
        await expect.poll(() => button.getAttribute('aria-selected')).toBe('true');
        found.push(...(await seriousAxeViolations(page)).map((v) => `${tab}: ${v}`));
      }
      if (!size.lecture) {
        await openPalette(page);
        found.push(...(await seriousAxeViolations(page)).map((v) => `palette open: ${v}`));
        await screenshot(page, `layout-${size.name}-palette`);
      }
      expect(found).toEqual([]);
      await page.close();
    });
  }
});
