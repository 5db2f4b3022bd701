import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelFromHash } from '../../src/io/share-url';
import { toProjectFile } from '../../src/io/project/format';
import {
  applyView,
  keptViewText,
  LINK_PROPERTIES,
  MAX_VALUE_CHARS,
  modelPart,
  readKeptView,
  readLinkView,
  VIEW_KEY,
  withView,
  type LinkView,
} from '../../src/state/link-view';
import { makeAppStore } from '../../src/state/store';
import { FIGURES } from '../../src/state/view-slice';
import { presetModel } from '../../src/presets';
import { MemoryStorage } from './memory-storage';

const oldLink = (name: string) =>
  readFileSync(new URL(`../fixtures/links/${name}.txt`, import.meta.url), 'utf8').trim();

const DEFAULTS: LinkView = { notation: 'pytorch', layer: null, figure: 'volumes', panel: 'layers', lecture: false };

describe('the view settings of a link', () => {
  it('go through the address and back, every value of every setting', () => {
    const views = fc.record({
      notation: fc.constantFrom('pytorch', 'keras' as const),
      layer: fc.option(fc.string({ minLength: 1, maxLength: MAX_VALUE_CHARS }), { nil: null }),
      figure: fc.constantFrom(...FIGURES),
      panel: fc.constantFrom('layers', 'table', 'train' as const),
      lecture: fc.boolean(),
    });
    fc.assert(
      fc.property(views, (view) => {
        const hash = withView('#m=abc', view);
        expect(modelPart(hash)).toBe('#m=abc');
        expect({ ...DEFAULTS, ...readLinkView(hash) }).toEqual(view);
      }),
    );
  });

  it('write only what differs from the default, after the model, which is kept character for character', () => {
    const m = oldLink('mnist');
    expect(withView(m, DEFAULTS)).toBe(m);
    const hash = withView(m, { ...DEFAULTS, notation: 'keras', layer: 'conv 2&x', figure: 'weights' });
    expect(hash).toBe(`${m}&notation=keras&layer=conv+2%26x&picture=weights`);
    // Changing the view again replaces the settings, never adds a second copy.
    expect(withView(hash, { ...DEFAULTS, figure: 'field' })).toBe(`${m}&picture=field`);
    expect(withView('', { ...DEFAULTS, lecture: true })).toBe('#lecture=1');
    expect(withView('#notation=keras', DEFAULTS)).toBe('');
  });

  it('old links (model only) name no setting and still open to the same model', () => {
    for (const [name, preset] of [
      ['mnist', 'mnist'],
      ['resnet20-b', 'resnet20-b'],
    ] as const) {
      const link = oldLink(name);
      expect(readLinkView(link)).toEqual({});
      const withSettings = withView(link, { ...DEFAULTS, notation: 'keras', layer: 'conv1' });
      const read = modelFromHash(withSettings);
      if (!read?.ok) throw new Error(read?.error);
      expect(toProjectFile(read.model)).toEqual(toProjectFile(presetModel(preset)));
      expect(readLinkView(withSettings)).toEqual({ notation: 'keras', layer: 'conv1' });
    }
  });

  it('hostile values are ignored, each setting keeping its default, and nothing throws', () => {
    const hostile = [
      'notation=tensorflow',
      'notation=KERAS',
      'picture=__proto__',
      'picture=constructor',
      'panel=toString',
      'lecture=yes',
      `layer=${'x'.repeat(MAX_VALUE_CHARS + 1)}`,
      'layer=',
      'notation=keras&notation=pytorch',
      'notation=%E0%A4%A',
      '%%%&&&==',
    ];
    for (const part of hostile) expect(readLinkView(`#m=abc&${part}`), part).toEqual({});
    fc.assert(
      fc.property(fc.string(), (text) => {
        const view = readLinkView(text);
        for (const [key, value] of Object.entries(view)) {
          const property = LINK_PROPERTIES[key as keyof LinkView];
          expect(property.parse(property.serialise(value as never))).toEqual(value);
        }
      }),
    );
  });

  it('a layer the model does not have is not selected; one it has is', () => {
    const store = makeAppStore();
    store.getState().loadModel(presetModel('mnist'), 'link');
    const first = store.getState().selected;
    applyView(store, { layer: 'no-such-layer', notation: 'keras', figure: 'weights' });
    expect(store.getState()).toMatchObject({ selected: first, notation: 'keras', figure: 'weights' });
    applyView(store, { layer: 'conv2' });
    expect(store.getState().selected).toBe('conv2');
  });

  it('a layer inside a block is selected from a link and its block unfolds; one the block lacks is not', () => {
    const store = makeAppStore();
    store.getState().loadModel(presetModel('resnet20-a'), 'link');
    const first = store.getState().selected;
    applyView(store, { layer: 'stage2_block1/conv9' });
    expect(store.getState().selected).toBe(first);
    applyView(store, { layer: 'stage2_block1/conv1' });
    expect(store.getState()).toMatchObject({ selected: 'stage2_block1/conv1', expanded: ['stage2_block1'] });
  });

  it('this browser keeps the notation only (not the layer or picture), and ignores junk', () => {
    const storage = new MemoryStorage();
    storage.setItem(VIEW_KEY, keptViewText({ ...DEFAULTS, notation: 'keras', layer: 'conv2', figure: 'field' }));
    expect(readKeptView(storage)).toEqual({ notation: 'keras' });
    storage.setItem(VIEW_KEY, 'layer=conv2&picture=field&notation=pytorch2');
    expect(readKeptView(storage)).toEqual({});
    expect(readKeptView(null)).toEqual({});
  });
});
