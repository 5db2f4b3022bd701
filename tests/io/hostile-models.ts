import fc from 'fast-check';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Analysis } from '../../src/engine/analysis/result';
import { parseProject } from '../../src/io/project/format';

/**
 * Pieces of hostile names: every kind of quote and string prefix, backslashes and escape-like
 * text, every line break Python or an editor knows, NUL, terminal controls, bidi overrides,
 * zero-width and lone surrogates, code, and the names generated code itself uses.
 */
export const FRAGMENTS = [
  ...['"""', "'''", '"', "'", '`', '\\', '\\\\', '\\"', 'f"', 'b"', 'r"', 'u"', 'rb"', '{', '}', '{0}', '%s'],
  ...['\\N{BULLET}', '\\x41', '\\u0041', '\\U00000041', '\\n', '\\0', '#', ';', ':', '(', ')', ',', '=', '.'],
  ...['\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\u000b', '\u000c', '\t', ' ', '\0'],
  ...['\u001b[2J', '\u001b]0;x\u0007', '\u0007', '\u007f', '\u009b', '\u202e', '\u2066', '\u200b', '\ufeff'],
  ...['\ud800', '\udfff', '\udbff\udfff', 'é', '卷积', 'ﬁ', '😀', '\u{e0001}'],
  ...['__import__("os").system("id")', 'exec("1")', '\nimport os\n', '"""\nimport os\n"""'],
  ...['forward', 'training', 'self', 'torch', 'F', 'nn', 'x', 'class', 'input', '__class__', '_modules', 'float'],
];

/** A hostile string: fragments mixed with arbitrary code points and lone surrogates, 1–8 pieces. */
export const hostileString = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...FRAGMENTS) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join(''));

type Layers = Record<string, unknown>[];

/**
 * Model shapes whose code puts names in every place they go: attributes and locals, forward()'s
 * arguments and return, Keras' `name=` and helper layers named after a layer (`<name>_pad`),
 * a block's children, TimeDistributed, several inputs and outputs.
 */
export const TEMPLATES: readonly { readonly names: number; readonly inputs: number; layers(n: string[]): Layers }[] = [
  {
    names: 5,
    inputs: 1,
    layers: (n) => [
      { name: n[0], type: 'Input', shape: [8, 8, 3] },
      { name: n[1], type: 'Conv2D', filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' },
      { name: n[2], type: 'MaxPooling2D' },
      { name: n[3], type: 'Flatten' },
      { name: n[4], type: 'Dense', units: 10, activation: 'softmax' },
    ],
  },
  {
    names: 6,
    inputs: 1,
    layers: (n) => [
      { name: n[0], type: 'Input', shape: [8, 8, 3] },
      {
        name: n[1],
        type: 'Conv2D',
        filters: 4,
        kernelSize: 3,
        padding: [
          [1, 1],
          [0, 2],
        ],
        inputs: [n[0]],
      },
      { name: n[2], type: 'Conv2D', filters: 4, kernelSize: 1, strides: 1, inputs: [n[0]] },
      { name: n[3], type: 'Add', inputs: [n[1], n[2]] },
      { name: n[4], type: 'GlobalAveragePooling2D' },
      { name: n[5], type: 'Dense', units: 3, activation: 'leaky_relu' },
    ],
  },
  {
    names: 4,
    inputs: 1,
    layers: (n) => [
      { name: n[0], type: 'Input', shape: [8, 8, 4] },
      { name: n[1], type: 'ResNetBasicBlock', filters: 8, strides: 2, padding: 'same' },
      { name: n[2], type: 'Flatten' },
      { name: n[3], type: 'Dense', units: 3 },
    ],
  },
  {
    names: 5,
    inputs: 1,
    layers: (n) => [
      { name: n[0], type: 'Input', shape: [16, 3] },
      { name: n[1], type: 'Conv1D', filters: 4, kernelSize: 3, padding: 'causal' },
      { name: n[2], type: 'TimeDistributed', layer: { type: 'Dense', units: 5 } },
      { name: n[3], type: 'Dropout', rate: 0.25 },
      { name: n[4], type: 'UpSampling1D', size: 2 },
    ],
  },
  {
    names: 5,
    inputs: 2,
    layers: (n) => [
      { name: n[0], type: 'Input', shape: [8] },
      { name: n[1], type: 'Input', shape: [8] },
      { name: n[2], type: 'Concatenate', inputs: [n[0], n[1]] },
      { name: n[3], type: 'Dense', units: 4, inputs: [n[2]] },
      { name: n[4], type: 'Dense', units: 2, inputs: [n[2]] },
    ],
  },
];

export interface HostileCase {
  readonly template: number;
  readonly modelName: string;
  readonly layerNames: readonly string[];
}

/** A template, a hostile model name and distinct hostile layer names (as many as it needs). */
export function hostileCase(templates: readonly number[]): fc.Arbitrary<HostileCase> {
  return fc.constantFrom(...templates).chain((template) =>
    fc.record({
      template: fc.constant(template),
      modelName: hostileString.filter((s) => s.length <= 200),
      layerNames: fc.uniqueArray(hostileString, {
        minLength: TEMPLATES[template]?.names ?? 0,
        maxLength: TEMPLATES[template]?.names ?? 0,
      }),
    }),
  );
}

/** The case's model, read as a model file is read, and analysed. */
export function analyse(template: number, modelName: string, layerNames: readonly string[]): Analysis {
  const t = TEMPLATES[template];
  if (!t) throw new Error(`no template ${template}`);
  const read = parseProject({ name: modelName, layers: t.layers([...layerNames]) });
  if (!read.ok) throw new Error(read.error);
  return analyzeModel(read.model);
}

/** The same model with plain names: n0, n1, … and model name "m". */
export function benign(template: number): Analysis {
  const count = TEMPLATES[template]?.names ?? 0;
  return analyse(
    template,
    'm',
    Array.from({ length: count }, (_, i) => `n${i}`),
  );
}
