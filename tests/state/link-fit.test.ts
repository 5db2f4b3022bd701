import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/engine/model/model';
import { modelFromHash } from '../../src/io/share-url';
import { linkFor, MAX_LINK_SOURCE_CHARS, MAX_URL_CHARS } from '../../src/state/link-fit';
import { modelJson } from '../../src/state/model-json';
import { presetModel } from '../../src/presets';

/** A model whose layer names are random, so its link compresses badly: `chars` characters of names. */
function randomNames(chars: number): Model {
  const base = presetModel('lenet5');
  const layers = Array.from({ length: Math.ceil(chars / 100) }, (_, i) => ({
    ...base.layers[5]!,
    name: `${i}-${Array.from({ length: 100 }, () => Math.random().toString(36)[2]).join('')}`,
  }));
  return { ...base, layers: [base.layers[0]!, ...layers] };
}

describe('the link a model gets', () => {
  it('holds ResNet-110 exactly', () => {
    const model = presetModel('resnet110-a');
    const fit = linkFor(model, 40);
    if (!fit.ok) throw new Error('ResNet-110 fits in a link');
    const back = modelFromHash(fit.hash);
    expect(back?.ok && modelJson(back.model)).toBe(modelJson(model));
  });

  it('is refused when the address would pass MAX_URL_CHARS, counting what comes before the hash', () => {
    const model = randomNames(90_000);
    expect(modelJson(model).length).toBeLessThan(MAX_LINK_SOURCE_CHARS);
    const fit = linkFor(model, 40);
    expect(fit).toMatchObject({ ok: false, compressed: true });
    expect(!fit.ok && fit.chars).toBeGreaterThan(MAX_URL_CHARS - 40);
    const lenet = linkFor(presetModel('lenet5'), 0);
    if (!lenet.ok) throw new Error('LeNet fits');
    expect(linkFor(presetModel('lenet5'), MAX_URL_CHARS - lenet.hash.length + 1)).toMatchObject({ ok: false });
  });

  it('is refused unread, without compressing, when the model’s JSON is past MAX_LINK_SOURCE_CHARS', () => {
    const model: Model = { ...presetModel('lenet5'), layers: Array(30).fill(randomNames(10_000).layers).flat() };
    const json = modelJson(model).length;
    expect(json).toBeGreaterThan(MAX_LINK_SOURCE_CHARS);
    expect(linkFor(model, 0)).toEqual({ ok: false, chars: json, compressed: false });
  });
});
