/**
 * What keeping the model costs after an edit (`npm run bench:link`; vitest's bench runner, in
 * Node's V8 as in Chromium):
 * - the link: the model's JSON, then lz-string compression, for models up to and past
 *   MAX_LINK_SOURCE_CHARS (the JSON size past which links are not even tried);
 * - the tab's session (the model and 200 undo steps in sessionStorage): writing it after an edit
 *   and reading it back at a reload (every step is validated), for ResNet-20 and ResNet-110.
 * Each case's name says the sizes; the table gives ms per run (min, max, mean, percentiles).
 */
import { bench, describe } from 'vitest';
import type { Model } from '../../src/engine/model/model';
import { linkFor, MAX_LINK_SOURCE_CHARS } from '../../src/state/link-fit';
import { modelJson } from '../../src/state/model-json';
import { decodeSession, encodeSession } from '../../src/state/session-history';
import { presetModel } from '../../src/presets';

/** A stack of `n` convolutions with plain names (they compress well) or random ones (they do not). */
function stack(n: number, random: boolean): Model {
  const base = presetModel('resnet20-a');
  const conv = base.layers[1]!;
  const name = (i: number) =>
    random ? `${i}_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}` : `conv_${i}`;
  return { ...base, layers: [base.layers[0]!, ...Array.from({ length: n }, (_, i) => ({ ...conv, name: name(i) }))] };
}

const slow = { iterations: 5, time: 0, warmupIterations: 1 };

describe(`the link after an edit (JSON, then compression unless the JSON is past ${MAX_LINK_SOURCE_CHARS} chars)`, () => {
  for (const [n, random] of [
    [500, false],
    [1000, false],
    [2500, false],
    [5000, false],
    [500, true],
    [1000, true],
    [2000, true],
  ] as const) {
    const model = stack(n, random);
    const json = modelJson(model).length;
    const fit = linkFor(model, 40);
    const link = fit.ok
      ? `link ${(fit.hash.length / 1000).toFixed(0)} K`
      : fit.compressed
        ? 'link too long'
        : 'not tried';
    const label = `${n} layers${random ? ', random names' : ''}: JSON ${(json / 1000).toFixed(0)} K chars, ${link}`;
    // A new model object each run, as after an edit (the JSON is kept per object).
    bench(label, () => void linkFor({ ...model }, 40), slow);
  }
});

describe('the tab’s session with 200 undo steps', () => {
  for (const id of ['resnet20-a', 'resnet110-a']) {
    const base = presetModel(id);
    const past = Array.from({ length: 200 }, (_, i) => ({ ...base, name: `${base.name} ${i}` }));
    const text = encodeSession('/#m=x', 'preset', base, past, []);
    const kept = decodeSession(text)?.past.length ?? 0;
    const size = `${(text.length / 1e6).toFixed(2)} M chars, ${kept} steps kept`;
    bench(`${id}: write after an edit (${size})`, () => void encodeSession('/#m=x', 'preset', { ...base }, past, []));
    bench(`${id}: read at a reload (${size})`, () => void decodeSession(text), slow);
  }
});
