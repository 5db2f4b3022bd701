import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/engine/model/model';
import { toProjectFile } from '../../src/io/project/format';
import { modelJson } from '../../src/state/model-json';
import {
  decodeSession,
  encodeSession,
  MAX_MODEL_CHARS,
  SESSION_BUDGET,
  SESSION_KEY,
  writeSession,
} from '../../src/state/session-history';
import { makeAppStore } from '../../src/state/store';
import { presetModel } from '../../src/presets';
import { MemoryStorage } from './memory-storage';

const names = (models: readonly Model[]) => models.map((m) => m.name);
const renamed = (model: Model, name: string): Model => ({ ...model, name });

describe('a tab’s undo history across a reload', () => {
  it('comes back with the model, its source, every undo and redo step, in order', () => {
    const store = makeAppStore();
    const s = store.getState();
    s.loadPreset('lenet5');
    s.loadPreset('mnist');
    s.loadPreset('alexnet');
    s.undo();
    const before = store.getState();
    const text = encodeSession('/?x#m=abc', before.modelSource, before.model, before.past, before.future);
    const back = decodeSession(text);
    expect(back).toMatchObject({ address: '/?x#m=abc', source: 'preset:alexnet' });
    expect(back?.model && modelJson(back.model)).toBe(modelJson(before.model));
    expect(names(back!.past)).toEqual(names(before.past));
    expect(names(back!.future)).toEqual(['AlexNet']);

    const after = makeAppStore();
    after.getState().restoreHistory(back!.model!, back!.source, back!.past, back!.future);
    after.getState().undo();
    expect(after.getState().model.name).toBe('LeNet-5');
    after.getState().redo();
    after.getState().redo();
    expect(after.getState().model.name).toBe('AlexNet');
  });

  it('keeps the steps nearest the model on screen within its budget, and all of them when they fit', () => {
    const base = presetModel('resnet20-a');
    const past = Array.from({ length: 150 }, (_, i) => renamed(base, `past ${String(i).padStart(3, '0')}`));
    const future = Array.from({ length: 40 }, (_, i) => renamed(base, `next ${String(i).padStart(3, '0')}`));
    const all = decodeSession(encodeSession('/', 'x', base, past, future));
    expect(all?.past).toHaveLength(150);
    expect(all?.future).toHaveLength(40);

    const step = modelJson(past[0]!).length + 1;
    const some = decodeSession(encodeSession('/', 'x', base, past, future, step * 10));
    expect(names(some!.past)).toEqual(past.slice(-5).map((m) => m.name));
    expect(names(some!.future)).toEqual(future.slice(0, 5).map((m) => m.name));
    expect(encodeSession('/', 'x', base, past, future).length).toBeLessThanOrEqual(SESSION_BUDGET + 10_000);
  });

  it('a model too big to keep leaves a note (no model), so the reload knows the address is out of date', () => {
    const big: Model = { ...presetModel('lenet5'), description: 'x'.repeat(MAX_MODEL_CHARS + 1) };
    expect(decodeSession(encodeSession('/#m=old', 'file:big.json', big, [], []))).toEqual({
      address: '/#m=old',
      source: 'file:big.json',
      model: null,
      past: [],
      future: [],
    });
  });

  it('falls back to fewer steps, then to the note, when sessionStorage is full; never throws', () => {
    const model = presetModel('resnet20-a');
    const past = Array.from({ length: 20 }, (_, i) => renamed(model, `step ${i}`));
    const roomy = new MemoryStorage(modelJson(model).length * 3);
    writeSession(roomy, '/', 'x', model, past, []);
    expect(decodeSession(roomy.getItem(SESSION_KEY))?.past).toEqual([]);
    expect(decodeSession(roomy.getItem(SESSION_KEY))?.model?.name).toBe(model.name);
    const tiny = new MemoryStorage(500);
    expect(() => writeSession(tiny, '/', 'x', model, past, [])).not.toThrow();
    expect(decodeSession(tiny.getItem(SESSION_KEY))).toMatchObject({ model: null, address: '/' });
  });

  it('ignores damaged or foreign text; leaves out a step it cannot read', () => {
    for (const text of [
      null,
      '',
      '{',
      '[]',
      '{"v":2}',
      '{"v":1,"address":"/","source":"x","model":{"layers":"no"},"past":[],"future":[]}',
    ]) {
      expect(decodeSession(text)).toBeNull();
    }
    const lenet = toProjectFile(presetModel('lenet5'));
    const text = JSON.stringify({ v: 1, address: '/', source: 'x', model: lenet, past: [42, lenet], future: [{}] });
    expect(decodeSession(text)).toMatchObject({ past: [{ name: 'LeNet-5' }], future: [] });
  });
});
