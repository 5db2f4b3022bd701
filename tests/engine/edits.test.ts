import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import { applyEdit, applyEdits, uniqueName } from '../../src/engine/model/edits';
import type { Model } from '../../src/engine/model/model';
import { templateSpec } from '../../src/engine/layers/registry';
import { parseProject } from '../../src/io/project/format';
import { presetModel } from '../../src/presets';

function model(layers: Record<string, unknown>[]): Model {
  const read = parseProject({ layers });
  if (!read.ok) throw new Error(read.error);
  return read.model;
}

const shapes = (m: Model) => analyzeModel(m).layers.map((l) => `${l.name}:${l.output?.join('×') ?? 'x'}`);

describe('incremental analysis after an edit', () => {
  const r20 = presetModel('resnet20-b');
  const before = analyzeModel(r20);

  it('equals a fresh analysis, for random edits', () => {
    const names = r20.layers.map((l) => l.name);
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('remove' as const), name: fc.constantFrom(...names) }),
      fc.record({ kind: fc.constant('move' as const), name: fc.constantFrom(...names), to: fc.nat(names.length) }),
      fc.record({
        kind: fc.constant('rename' as const),
        name: fc.constantFrom(...names),
        to: fc.constantFrom('x', 'conv1', 'pool'),
      }),
      fc.record({
        kind: fc.constant('insert' as const),
        index: fc.nat(names.length),
        layer: fc.constant({ name: 'extra', spec: templateSpec('Conv2D') }),
      }),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const edited = applyEdits(r20, edits);
        expect(analyzeModel(edited, before)).toEqual(analyzeModel(edited));
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('keeps the very results of the layers an edit did not reach', () => {
    const edited = applyEdit(r20, {
      kind: 'update',
      name: 'stage3_block1',
      spec: { ...(r20.layers.find((l) => l.name === 'stage3_block1')!.spec as object), kernelSize: 5 } as never,
    });
    const after = analyzeModel(edited, before);
    const same = after.layers.map((l, i) => l === before.layers[i]);
    const at = r20.layers.findIndex((l) => l.name === 'stage3_block1');
    expect(same.slice(0, at).every(Boolean)).toBe(true);
    expect(same.slice(at).some(Boolean)).toBe(false);
  });
});

describe('typed edits, applied by one pure function', () => {
  const stack = model([
    { name: 'in', type: 'Input', shape: [28, 28, 1] },
    { name: 'c1', type: 'Conv2D', filters: 32, kernelSize: 5, padding: 'same' },
    { name: 'p1', type: 'MaxPooling2D' },
    { name: 'c2', type: 'Conv2D', filters: 64, kernelSize: 5, padding: 'same' },
  ]);

  it('insert puts a layer in the stack: the next layer now reads it', () => {
    const next = applyEdit(stack, {
      kind: 'insert',
      index: 2,
      layer: { name: 'bn', spec: templateSpec('BatchNormalization') },
    });
    expect(shapes(next)).toEqual(['in:28×28×1', 'c1:28×28×32', 'bn:28×28×32', 'p1:14×14×32', 'c2:14×14×64']);
    expect(stack.layers).toHaveLength(4);
  });

  it('remove splices a layer out of a stack', () => {
    expect(shapes(applyEdit(stack, { kind: 'remove', name: 'p1' }))).toEqual([
      'in:28×28×1',
      'c1:28×28×32',
      'c2:28×28×64',
    ]);
  });

  it('move reorders a stack', () => {
    expect(shapes(applyEdit(stack, { kind: 'move', name: 'p1', to: 1 }))).toEqual([
      'in:28×28×1',
      'p1:14×14×1',
      'c1:14×14×32',
      'c2:14×14×64',
    ]);
  });

  it('update replaces a layer’s fields; rename follows references', () => {
    const wider = applyEdit(stack, {
      kind: 'update',
      name: 'c2',
      spec: { ...templateSpec('Conv2D'), padding: 'same', filters: 128 } as never,
    });
    expect(shapes(wider).at(-1)).toBe('c2:14×14×128');
    const graph = model([
      { name: 'in', type: 'Input', shape: [8, 8, 4] },
      { name: 'a', type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same' },
      { name: 'sum', type: 'Add', inputs: ['a', 'in'] },
    ]);
    const renamed = applyEdit(graph, { kind: 'rename', name: 'in', to: 'image' });
    expect(renamed.layers.map((l) => l.name)).toEqual(['image', 'a', 'sum']);
    expect(renamed.layers[2]?.inputs).toEqual(['a', 'image']);
    expect(analyzeModel(renamed).ok).toBe(true);
    expect(applyEdit(graph, { kind: 'rename', name: 'a', to: 'sum' })).toBe(graph);
  });

  it('removing a layer a skip connection reads reconnects the skip to that layer’s input', () => {
    const graph = model([
      { name: 'in', type: 'Input', shape: [8, 8, 4] },
      { name: 'pre', type: 'Conv2D', filters: 4, kernelSize: 1 },
      { name: 'a', type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same' },
      { name: 'sum', type: 'Add', inputs: ['a', 'pre'] },
    ]);
    const next = applyEdit(graph, { kind: 'remove', name: 'pre' });
    expect(next.layers.find((l) => l.name === 'sum')?.inputs).toEqual(['a', 'in']);
    expect(next.layers.find((l) => l.name === 'a')?.inputs).toBeUndefined();
    expect(analyzeModel(next).ok).toBe(true);
  });

  it('removing a merge keeps the layer after it on the merge’s first input', () => {
    const graph = model([
      { name: 'in', type: 'Input', shape: [8, 8, 4] },
      { name: 'a', type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same' },
      { name: 'b', type: 'Conv2D', filters: 4, kernelSize: 1, inputs: ['in'] },
      { name: 'sum', type: 'Add', inputs: ['a', 'b'] },
      { name: 'relu', type: 'Activation', activation: 'relu' },
    ]);
    const next = applyEdit(graph, { kind: 'remove', name: 'sum' });
    expect(next.layers.find((l) => l.name === 'relu')?.inputs).toEqual(['a']);
  });

  it('edits are pure: the same edits on the same model give equal models, the original untouched', () => {
    const r20 = presetModel('resnet20-a');
    const before = JSON.stringify(r20);
    const edits = [
      { kind: 'remove', name: 'stage3_block3' },
      { kind: 'move', name: 'bn1', to: 3 },
    ] as const;
    expect(applyEdits(r20, edits)).toEqual(applyEdits(r20, edits));
    expect(JSON.stringify(r20)).toBe(before);
  });

  it('uniqueName avoids every taken name', () => {
    expect(uniqueName(stack, 'c3')).toBe('c3');
    expect(uniqueName(stack, 'c1')).toBe('c1_1');
  });
});

describe('an edit to the same values', () => {
  it('is no edit: the model object is kept, so no undo step and no "(edited)" mark', () => {
    const apply = applyEdits;
    const model = presetModel('mnist');
    const conv = model.layers.find((l) => l.name === 'conv2')!;
    expect(apply(model, [{ kind: 'update', name: 'conv2', spec: { ...conv.spec! } }])).toBe(model);
    expect(apply(model, [{ kind: 'rewire', name: 'conv2', inputs: conv.inputs }])).toBe(model);
    expect(apply(model, [{ kind: 'update', name: 'conv2', spec: { ...conv.spec!, filters: 8 } as never }])).not.toBe(
      model,
    );
  });
});
