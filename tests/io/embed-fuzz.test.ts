import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerHostMessage, MAX_REPLY_CHARS, type HostAction } from '../../src/io/embed-protocol';
import { toProjectFile } from '../../src/io/project/format';
import { MAX_MODEL_BYTES } from '../../src/io/read-model';
import { presetModel } from '../../src/presets';

/**
 * Fuzzing the embed API's message handler (what the app does with anything a host page posts):
 * anything structured clone can carry, our message types with hostile fields, names from
 * Object.prototype, models of every size up to and past the limit. Nothing may throw; every
 * answer is one the app knows, and an error reply is a short, non-empty text; no message takes
 * over HANG_MS (a hang, not a speed test).
 */
const HANG_MS = 2000;
const OURS = ['convscope:load', 'convscope:train', 'convscope:stop'];

const kerasFiles = [
  'keras2-sequential',
  'keras2-functional-residual',
  'keras3-functional-tcn',
  'tfjs-converter-model',
].map(
  (name) => JSON.parse(readFileSync(new URL(`../fixtures/keras/${name}.json`, import.meta.url), 'utf8')) as unknown,
);
const project = JSON.stringify(toProjectFile(presetModel('resnet20-a')));
/** Models as long strings: past the limit, at it exactly (valid JSON, so it is read), under it. */
const longModels = [
  `{"layers": [${' '.repeat(MAX_MODEL_BYTES)}]}`,
  project + ' '.repeat(MAX_MODEL_BYTES - project.length),
  'x'.repeat(MAX_MODEL_BYTES),
  '['.repeat(1_000_000),
];

const junk = fc.oneof(
  fc.anything({
    withMap: true,
    withSet: true,
    withDate: true,
    withTypedArray: true,
    withBigInt: true,
    withNullPrototype: true,
    withSparseArray: true,
    maxDepth: 3,
  }),
  fc.constantFrom(...kerasFiles, JSON.parse(project) as unknown, project, ...longModels),
  fc.string({ maxLength: 50 }),
);

const typeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...OURS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'),
  },
  { weight: 1, arbitrary: fc.constantFrom('convscope:ready', 'convscope:LOAD', 'convscope:load ', '') },
  { weight: 1, arbitrary: junk },
);

const configArb = fc.oneof(
  fc.record({
    dataset: fc.constantFrom('mnist', 'cifar10', 'synthetic'),
    epochs: fc.integer({ min: 1, max: 200 }),
    batchSize: fc.integer({ min: 1, max: 1024 }),
  }),
  fc.record(
    {
      dataset: fc.oneof(fc.constantFrom('mnist', 'cifar10', 'synthetic', 'imagenet'), junk),
      epochs: fc.oneof(fc.integer({ min: -2, max: 300 }), junk),
      batchSize: fc.oneof(fc.integer({ min: -2, max: 2000 }), junk),
      url: fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'file:///etc/passwd', ''), junk),
      backend: fc.oneof(fc.constantFrom('webgpu', 'webgl', 'wasm', 'cpu', 'tpu'), junk),
      maxTrainSamples: fc.oneof(fc.integer({ min: 0, max: 2_000_000 }), junk),
      [`x${'k'.repeat(100_000)}`]: junk,
    },
    { requiredKeys: [] },
  ),
  junk,
);

const messageArb = fc.oneof(
  { weight: 1, arbitrary: junk },
  {
    weight: 4,
    arbitrary: fc.record({ type: typeArb, model: junk, config: configArb }, { requiredKeys: ['type'] }),
  },
);

const KINDS: readonly HostAction['kind'][] = ['ignore', 'error', 'load', 'train', 'stop'];

describe('fuzz: the embed message handler', () => {
  it('10,000 messages: an answer the app knows, short error replies, never a throw', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(messageArb, fc.boolean(), (data, busy) => {
        const start = performance.now();
        const action = answerHostMessage(data, busy);
        const ms = performance.now() - start;
        if (ms > HANG_MS) throw new Error(`${ms.toFixed(0)} ms`);
        seen.add(action.kind);
        if (!KINDS.includes(action.kind)) return false;
        const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
        if (!OURS.includes(type as string)) return action.kind === 'ignore';
        if (action.kind === 'train' && busy) return false;
        if (action.kind === 'error') return action.message.length > 0 && action.message.length <= MAX_REPLY_CHARS;
        return action.kind !== 'ignore';
      }),
      { numRuns: 10_000, seed: 31 },
    );
    // Every kind of answer came up.
    expect([...seen].sort()).toEqual([...KINDS].sort());
  }, 300_000);
});
