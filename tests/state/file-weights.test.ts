import { describe, expect, it } from 'vitest';
import type { FileWeightSource } from '../../src/io/file-weights';
import { presetModel } from '../../src/presets';
import { holdFileWeights, selectFileWeights } from '../../src/state/file-weights';
import { makeAppStore } from '../../src/state/store';

const weights: FileWeightSource = { fileName: 'model.h5', kernel: () => null };

/** A store with a file's model opened as useOpenFile opens it. */
function opened() {
  const store = makeAppStore();
  const model = { ...presetModel('mnist'), name: 'from file' };
  holdFileWeights(store.getState(), model, 'file:model.h5', weights);
  store.getState().loadModel(model, 'file:model.h5');
  return store;
}

describe('a file’s weights belong to the model opened from it', () => {
  it('are there for the file’s model and after edits of it, and stay out of the store', () => {
    const store = opened();
    expect(selectFileWeights(store.getState())).toBe(weights);
    expect(Object.values(store.getState())).not.toContain(weights);
    const conv = store.getState().model.layers.find((l) => l.spec?.type === 'Conv2D')!;
    store.getState().edit([{ kind: 'rename', name: conv.name, to: 'renamed' }]);
    expect(selectFileWeights(store.getState())).toBe(weights);
  });

  it('are gone when undo steps back past the opening, and back on redo', () => {
    const store = opened();
    store.getState().undo();
    expect(selectFileWeights(store.getState())).toBeNull();
    store.getState().redo();
    expect(selectFileWeights(store.getState())).toBe(weights);
  });

  it('are let go when another model is opened, even if undo brings the file’s model back', () => {
    const store = opened();
    store.getState().loadPreset('mnist');
    expect(selectFileWeights(store.getState())).toBeNull();
    store.getState().undo();
    expect(selectFileWeights(store.getState())).toBeNull();
  });

  it('a file without weights lets go of the previous file’s', () => {
    const store = opened();
    const model = presetModel('mnist');
    holdFileWeights(store.getState(), model, 'file:other.json', undefined);
    store.getState().loadModel(model, 'file:other.json');
    expect(selectFileWeights(store.getState())).toBeNull();
  });
});

describe('letting go', () => {
  it('opening another model lets go of the weights before anything asks for them', () => {
    const store = opened();
    const { model, opened: opening } = store.getState();
    store.getState().loadPreset('mnist');
    // Asked as if the file's model were still on screen: held weights would answer, released ones cannot.
    expect(selectFileWeights({ opened: opening, model, past: [], modelSource: 'file:model.h5' })).toBeNull();
  });
});
