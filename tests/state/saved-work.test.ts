import { describe, expect, it } from 'vitest';
import { toProjectFile } from '../../src/io/project/format';
import {
  AUTOSAVE_KEY,
  keptKeys,
  PREVIOUS_KEY,
  readEntry,
  saveAutosave,
  setAsideUnreadable,
} from '../../src/state/saved-work';
import { presetModel } from '../../src/presets';
import { MemoryStorage } from './memory-storage';
import { UNREADABLE } from './unreadable';

const text = (id: string) => JSON.stringify(toProjectFile(presetModel(id)));
const lenet = text('lenet5');
const mnist = text('mnist');
const alexnet = text('alexnet');

describe('the autosave entry', () => {
  it('reads a model, nothing, or an unreadable entry with the reason and, for a newer file, its version', () => {
    const storage = new MemoryStorage();
    expect(readEntry(storage, AUTOSAVE_KEY)).toEqual({ kind: 'none' });
    storage.setItem(AUTOSAVE_KEY, lenet);
    expect(readEntry(storage, AUTOSAVE_KEY)).toMatchObject({ kind: 'model', text: lenet, model: { name: 'LeNet-5' } });
    storage.setItem(AUTOSAVE_KEY, UNREADABLE.corrupt);
    expect(readEntry(storage, AUTOSAVE_KEY)).toMatchObject({ kind: 'unreadable', newer: null });
    storage.setItem(AUTOSAVE_KEY, UNREADABLE['wrong type']);
    expect(readEntry(storage, AUTOSAVE_KEY)).toMatchObject({
      kind: 'unreadable',
      reason: 'A model file must hold a JSON object.',
    });
    storage.setItem(AUTOSAVE_KEY, UNREADABLE['newer version']);
    expect(readEntry(storage, AUTOSAVE_KEY)).toMatchObject({ kind: 'unreadable', newer: 2 });
  });

  it.each(Object.entries(UNREADABLE))('keeps a %s autosave aside, as found, where no save overwrites it', (_, bad) => {
    const storage = new MemoryStorage();
    storage.setItem(AUTOSAVE_KEY, bad);
    setAsideUnreadable(storage);
    expect(storage.getItem(AUTOSAVE_KEY)).toBeNull();
    const [key] = keptKeys(storage);
    expect(storage.getItem(key!)).toBe(bad);
    expect(saveAutosave(storage, lenet, null)).toEqual({ kind: 'saved', displaced: false });
    setAsideUnreadable(storage);
    expect(keptKeys(storage).map((k) => storage.getItem(k))).toEqual([bad]);
  });

  it('when storage has no room to set it aside, leaves it in place and no save overwrites it', () => {
    const storage = new MemoryStorage(UNREADABLE.corrupt.length + AUTOSAVE_KEY.length + 10);
    storage.setItem(AUTOSAVE_KEY, UNREADABLE.corrupt);
    setAsideUnreadable(storage);
    expect(storage.getItem(AUTOSAVE_KEY)).toBe(UNREADABLE.corrupt);
    expect(saveAutosave(storage, lenet, null)).toEqual({ kind: 'full' });
    expect(storage.getItem(AUTOSAVE_KEY)).toBe(UNREADABLE.corrupt);
  });
});

describe('saving the autosave', () => {
  it('continues this tab’s own work in place', () => {
    const storage = new MemoryStorage();
    expect(saveAutosave(storage, lenet, null)).toEqual({ kind: 'saved', displaced: false });
    expect(saveAutosave(storage, mnist, lenet)).toEqual({ kind: 'saved', displaced: false });
    expect(saveAutosave(storage, mnist, mnist)).toEqual({ kind: 'unchanged' });
    expect(storage.getItem(AUTOSAVE_KEY)).toBe(mnist);
    expect(storage.getItem(PREVIOUS_KEY)).toBeNull();
  });

  it('new work moves the stored model to “previous” instead of dropping it', () => {
    const storage = new MemoryStorage();
    storage.setItem(AUTOSAVE_KEY, lenet);
    expect(saveAutosave(storage, mnist, null)).toEqual({ kind: 'saved', displaced: true });
    expect(storage.getItem(AUTOSAVE_KEY)).toBe(mnist);
    expect(storage.getItem(PREVIOUS_KEY)).toBe(lenet);
  });

  it('does not overwrite a model another tab saved since this tab’s base; replaces it (kept as previous) when asked', () => {
    const storage = new MemoryStorage();
    storage.setItem(AUTOSAVE_KEY, lenet);
    // This tab restored lenet; another tab then saved alexnet.
    storage.setItem(AUTOSAVE_KEY, alexnet);
    expect(saveAutosave(storage, mnist, lenet)).toEqual({ kind: 'conflict', theirs: alexnet });
    expect(storage.getItem(AUTOSAVE_KEY)).toBe(alexnet);
    expect(saveAutosave(storage, mnist, lenet, true)).toEqual({ kind: 'saved', displaced: true });
    expect(storage.getItem(AUTOSAVE_KEY)).toBe(mnist);
    expect(storage.getItem(PREVIOUS_KEY)).toBe(alexnet);
  });

  it('an unreadable model it would replace is kept aside, not made “previous”', () => {
    const storage = new MemoryStorage();
    storage.setItem(AUTOSAVE_KEY, UNREADABLE.corrupt);
    expect(saveAutosave(storage, lenet, null)).toEqual({ kind: 'saved', displaced: true });
    expect(storage.getItem(PREVIOUS_KEY)).toBeNull();
    expect(keptKeys(storage).map((k) => storage.getItem(k))).toEqual([UNREADABLE.corrupt]);
  });

  it('says when storage is full, and then writes nothing: not the model, not half a move', () => {
    const storage = new MemoryStorage(lenet.length + AUTOSAVE_KEY.length + 100);
    storage.setItem(AUTOSAVE_KEY, lenet);
    expect(saveAutosave(storage, mnist, null)).toEqual({ kind: 'full' });
    expect(storage.getItem(AUTOSAVE_KEY)).toBe(lenet);
    expect(storage.getItem(PREVIOUS_KEY)).toBeNull();
  });

  it('tells a switched-off storage from a full one', () => {
    const off = new MemoryStorage();
    off.setItem = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    expect(saveAutosave(off, lenet, null)).toEqual({ kind: 'unavailable' });
  });
});
