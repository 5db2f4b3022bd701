import { describe, expect, it } from 'vitest';
import { MAX_NOTICES } from '../../src/state/notice-slice';
import { makeAppStore } from '../../src/state/store';
import { presetModel } from '../../src/presets';

describe('notices', () => {
  it('replace the one on their topic, stand beside others, and stay when they ask something', () => {
    const store = makeAppStore();
    const { notify } = store.getState();
    notify('info', 'Loading…', { topic: 'src', lasting: true });
    notify('error', 'Not saved', { topic: 'saving', actions: [{ label: 'Save file', run: () => undefined }] });
    notify('info', 'Link copied');
    notify('info', 'Arrived', { topic: 'src', actions: [{ label: 'Open it', run: () => undefined }] });
    expect(store.getState().notices.map((n) => [n.topic, n.text, n.lasting])).toEqual([
      ['saving', 'Not saved', true],
      ['general', 'Link copied', false],
      ['src', 'Arrived', true],
    ]);
    store.getState().dismiss('saving');
    store.getState().dismiss(store.getState().notices[0]!.id);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['Arrived']);
    for (let i = 0; i < 10; i++) notify('info', `n${i}`, { topic: `t${i}` });
    expect(store.getState().notices).toHaveLength(MAX_NOTICES);
  });
});

describe('who changed the model', () => {
  it('the person: edits, undo, redo, files and presets they open; not links, ?src=, the embedding page or storage', () => {
    const store = makeAppStore();
    const s = () => store.getState();
    expect(s().byUser).toBe(false);
    for (const [source, byUser] of [
      ['link', false],
      ['url:https://example.org/m.json', false],
      ['embed', false],
      ['autosave', false],
      ['file:m.json', true],
      ['preset:mnist', true],
      ['new', true],
      ['paste', true],
      ['history', true],
      ['saved:previous', true],
    ] as const) {
      s().loadModel(presetModel('lenet5'), source);
      expect([source, s().byUser]).toEqual([source, byUser]);
    }
    s().loadModel(presetModel('lenet5'), 'url:https://example.org/m.json', true);
    expect(s().byUser).toBe(true);
    s().loadModel(presetModel('mnist'), 'link');
    s().undo();
    expect(s().byUser).toBe(true);
    const opened = s().opened;
    s().redo();
    s().restoreHistory(presetModel('mnist'), 'link', [], []);
    expect([s().byUser, s().opened]).toEqual([false, opened + 1]);
    s().loadModel(presetModel('lenet5'), 'history');
    expect(s().opened).toBe(opened + 1);
  });
});
