import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/engine/analysis/analyze';
import type { Edit } from '../../src/engine/model/edits';
import type { Model } from '../../src/engine/model/model';
import { presetModel, presets } from '../../src/presets';
import { makeAppStore } from '../../src/state/store';

/** The model after the person's edits, as the app's store makes them. */
function edited(preset: string, ...edits: ((m: Model) => Edit)[]): Model {
  const store = makeAppStore();
  store.getState().loadPreset(preset);
  for (const edit of edits) store.getState().edit([edit(store.getState().model)]);
  return store.getState().model;
}

/** An edit of one field of a layer. */
const set =
  (name: string, fields: Record<string, unknown>) =>
  (m: Model): Edit => ({
    kind: 'update',
    name,
    spec: { ...m.layers.find((l) => l.name === name)!.spec, ...fields } as never,
  });

describe('titles and descriptions after edits', () => {
  it('the causal stack’s lookback follows its kernels: kernel 2 gives a field (lookback) of 16', () => {
    const convs = ['conv_d1', 'conv_d2', 'conv_d4', 'conv_d8'];
    const model = edited('causal-dilated', ...convs.map((n) => set(n, { kernelSize: 2 })));
    // The engine's receptive field, independently: 1 + (2 − 1)·(1 + 2 + 4 + 8) = 16.
    expect(analyzeModel(model).layers.at(-1)?.receptiveField?.axes[0]?.size).toBe(16);
    expect(model.name).toBe('Causal dilated Conv1D (lookback 16)');
    expect(model.description).toBe(
      'Kernel 2 with dilations 1, 2, 4 and 8, all causal: each layer adds (k − 1)·d = 1, 2, 4, 8 steps, so the last output sees 16 steps back and nothing ahead.',
    );
    const mixed = edited('causal-dilated', set('conv_d8', { kernelSize: 5 }));
    // 1 + 2 + 4 + 8 + (5 − 1)·8 = 47.
    expect(mixed.name).toBe('Causal dilated Conv1D (lookback 47)');
    // Unedited, the preset's own text.
    expect(presetModel('causal-dilated').name).toBe('Causal dilated Conv1D (lookback 31)');
    expect(presetModel('causal-dilated').description).toBe(
      'Kernel 3 with dilations 1, 2, 4 and 8, all causal: each layer adds (k − 1)·d = 2, 4, 8, 16 steps, so the last output sees 31 steps back and nothing ahead.',
    );
    expect(mixed.description).toContain('Kernels 3, 3, 3 and 5');
  });

  it('a causal stack that is no longer one (same padding) is marked edited, its claims dropped', () => {
    const model = edited('causal-dilated', set('conv_d2', { padding: 'same' }));
    expect(model.name).toBe('Causal dilated Conv1D (edited)');
    expect(model.description).toBeUndefined();
  });

  it('MNIST’s filter counts and kernel sizes follow its layers', () => {
    const model = edited('mnist', set('conv1', { filters: 16 }), set('conv2', { kernelSize: 3 }));
    expect(model.name).toBe('MNIST CNN');
    expect(model.description).toBe(
      'The classic MNIST network’s layout: a 5×5 and a 3×3 convolution (16 then 64 filters) with max pooling, 1,024 hidden units, 10 classes.',
    );
    // Back to the classic numbers, the classic text.
    const back = edited('mnist', set('conv1', { filters: 16 }), set('conv1', { filters: 32 }));
    expect(back.description).toBe(presetModel('mnist').description);
  });

  it('MNIST with a layer removed is "MNIST CNN (edited)", without the stale description', () => {
    const model = edited('mnist', () => ({ kind: 'remove', name: 'dropout' }));
    expect(model.name).toBe('MNIST CNN (edited)');
    expect(model.description).toBeUndefined();
    // Further edits keep the mark once.
    const again = edited('mnist', () => ({ kind: 'remove', name: 'dropout' }), set('conv1', { filters: 8 }));
    expect(again.name).toBe('MNIST CNN (edited)');
  });

  it('every other preset is marked edited by any change; undo brings its text back', () => {
    for (const preset of presets.filter((p) => !p.describe)) {
      const store = makeAppStore();
      store.getState().loadPreset(preset.id);
      const before = store.getState().model;
      const last = before.layers.at(-1)!;
      store.getState().edit([{ kind: 'rename', name: last.name, to: `${last.name}_renamed` }]);
      expect(store.getState().model.name, preset.id).toBe(`${before.name} (edited)`);
      expect(store.getState().model.description, preset.id).toBeUndefined();
      store.getState().undo();
      expect(store.getState().model, preset.id).toBe(before);
    }
  });

  it('a model of the person’s own keeps its title and description', () => {
    const store = makeAppStore();
    const mine = { ...presetModel('mnist'), name: 'My digits', description: 'Mine.' };
    store.getState().loadModel(mine, 'file:mine.json');
    store.getState().edit([set('conv1', { filters: 8 })(mine)]);
    expect(store.getState().model).toMatchObject({ name: 'My digits', description: 'Mine.' });
  });
});
