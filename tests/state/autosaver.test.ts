import { afterEach, describe, expect, it } from 'vitest';
import type { LayerSpec } from '../../src/engine/layers/registry';
import { restoreAutosave, sayAutosaveKept } from '../../src/state/autosave-notices';
import { Autosaver } from '../../src/state/autosaver';
import { RUNS_KEY } from '../../src/state/run-records';
import { AUTOSAVE_KEY, keptKeys, PREVIOUS_KEY } from '../../src/state/saved-work';
import { makeAppStore } from '../../src/state/store';
import { presetModel } from '../../src/presets';
import { MemoryStorage } from './memory-storage';
import { UNREADABLE } from './unreadable';

/**
 * A browser whose tabs share one localStorage; a write in one tab reaches the others as the
 * `storage` event does (not the tab that wrote). Each tab runs the app's autosave without timers:
 * `settle()` is the moment its save timer fires.
 */
function browser(quota = Infinity) {
  const shared = new MemoryStorage(quota);
  const tabs: { autosaver: Autosaver }[] = [];
  const open = (restore = true) => {
    const me: { autosaver: Autosaver } = { autosaver: undefined as unknown as Autosaver };
    const tell = (key: string, value: string | null) => {
      for (const t of tabs) if (t !== me) t.autosaver.storageChanged(key, value);
    };
    const storage = Object.assign(Object.create(shared) as MemoryStorage, {
      setItem: (key: string, value: string) => {
        shared.setItem(key, value);
        tell(key, value);
      },
      removeItem: (key: string) => {
        shared.removeItem(key);
        tell(key, null);
      },
      getItem: (key: string) => shared.getItem(key),
      key: (i: number) => shared.key(i),
    });
    Object.defineProperty(storage, 'length', { get: () => shared.length });
    const store = makeAppStore();
    if (restore) restoreAutosave(store, storage);
    const downloads: { name: string; text: string }[] = [];
    me.autosaver = new Autosaver(store, storage, {
      download: (name, text) => downloads.push({ name, text }),
      saveFile: () => downloads.push({ name: 'model', text: '' }),
    });
    tabs.push(me);
    let due = false;
    store.subscribe((state, previous) => {
      if (me.autosaver.changed(state, previous)) due = true;
    });
    const settle = () => {
      if (due) me.autosaver.save();
      due = false;
    };
    const notice = (topic: string) => store.getState().notices.find((n) => n.topic === topic);
    const act = (topic: string, label: string) => {
      const action = notice(topic)?.actions.find((a) => a.label === label);
      if (!action) throw new Error(`no “${label}” on the ${topic} notice: ${JSON.stringify(store.getState().notices)}`);
      store.getState().dismiss(topic);
      action.run();
    };
    /** Sets a layer's filters, as typing in the form does. */
    const setFilters = (layer: string, filters: number) => {
      const spec = store.getState().model.layers.find((l) => l.name === layer)?.spec as LayerSpec;
      store.getState().edit([{ kind: 'update', name: layer, spec: { ...spec, filters } as LayerSpec }]);
      settle();
    };
    return { store, storage, settle, notice, act, setFilters, downloads };
  };
  const stored = (key = AUTOSAVE_KEY) => {
    const text = shared.getItem(key);
    return text === null ? null : (JSON.parse(text) as { name: string; layers: { name: string; filters?: number }[] });
  };
  const filtersIn = (layer: string, key = AUTOSAVE_KEY) => stored(key)?.layers.find((l) => l.name === layer)?.filters;
  return { shared, open, stored, filtersIn };
}

describe('autosave in one tab', () => {
  it('saves the person’s edits, not a model opened from a link, ?src= or an embedding page', () => {
    const b = browser();
    const tab = b.open();
    tab.store.getState().loadPreset('lenet5');
    tab.setFilters('c3', 20);
    expect(b.filtersIn('c3')).toBe(20);
    for (const source of ['link', 'url:https://example.org/m.json', 'embed']) {
      tab.store.getState().loadModel(presetModel('mnist'), source);
      tab.settle();
      expect(b.stored()?.name).toBe('LeNet-5 (edited)');
    }
    // The person's first edit of the opened model: the lenet work moves to “previous”.
    tab.setFilters('conv2', 48);
    expect(b.stored()?.name).toBe('MNIST CNN');
    expect(b.filtersIn('c3', PREVIOUS_KEY)).toBe(20);
    expect(tab.store.getState().savedModels.map((m) => [m.slot, m.model.name])).toEqual([
      ['autosave', 'MNIST CNN'],
      ['previous', 'LeNet-5 (edited)'],
    ]);
  });

  it('Back and Forward step within one piece of work: the autosave follows in place', () => {
    const b = browser();
    const tab = b.open();
    tab.store.getState().loadPreset('lenet5');
    tab.setFilters('c3', 20);
    // What the popstate handler does: the model read back from the address, a new object.
    tab.store.getState().loadModel(presetModel('lenet5'), 'history');
    tab.settle();
    expect(b.filtersIn('c3')).toBe(16);
    expect(b.stored(PREVIOUS_KEY)).toBeNull();
  });

  it('after opening a link, says the autosave is kept and opens it on request', () => {
    const b = browser();
    const first = b.open();
    first.store.getState().loadPreset('lenet5');
    first.setFilters('c3', 20);
    const tab = b.open();
    tab.store.getState().loadModel(presetModel('mnist'), 'link');
    sayAutosaveKept(tab.store, tab.storage);
    expect(tab.notice('autosave')?.text).toBe(
      'Opened from a link. Your autosaved model “LeNet-5 (edited)” is kept: the Model menu has it under Saved in this browser.',
    );
    tab.act('autosave', 'Open it');
    tab.settle();
    expect(tab.store.getState().model.layers.find((l) => l.name === 'c3')?.spec).toMatchObject({ filters: 20 });
    expect(b.filtersIn('c3')).toBe(20);
    // Undo goes back to the linked model: other work, so the autosave moves to “previous”, not away.
    tab.store.getState().undo();
    tab.settle();
    expect(tab.store.getState().model.name).toBe('MNIST CNN');
    expect(b.stored()?.name).toBe('MNIST CNN');
    expect(b.filtersIn('c3', PREVIOUS_KEY)).toBe(20);
    // Edits and their undo within one piece of work stay in place.
    tab.setFilters('conv2', 48);
    tab.store.getState().undo();
    tab.settle();
    expect(b.filtersIn('conv2')).toBe(64);
    expect(b.filtersIn('c3', PREVIOUS_KEY)).toBe(20);
  });

  it('a full storage is said once, not at every edit, and the notice goes once saving works again', () => {
    const b = browser(1_500);
    const tab = b.open();
    tab.store.getState().loadPreset('resnet20-a');
    tab.settle();
    const notice = tab.notice('saving');
    expect(notice).toMatchObject({ kind: 'error' });
    expect(notice?.text).toBe(
      'Not saved in this browser: its storage is full. The address still holds this model; save it as a file to keep it.',
    );
    tab.store.getState().loadPreset('resnet32-a');
    tab.settle();
    expect(tab.notice('saving')).toBe(notice);
    tab.act('saving', 'Save file');
    expect(tab.downloads).toHaveLength(1);
    b.shared.quota = Infinity;
    tab.store.getState().loadPreset('lenet5');
    tab.settle();
    expect(b.stored()?.name).toBe('LeNet-5');
    tab.store.getState().loadPreset('mnist');
    tab.settle();
    expect(tab.store.getState().notices).toEqual([]);
  });
});

describe('autosave in two tabs', () => {
  it('a tab does not overwrite what another tab saved since; it says so once, and the person chooses', () => {
    const b = browser();
    const setup = b.open();
    setup.store.getState().loadPreset('lenet5');
    setup.setFilters('c3', 20);
    const a = b.open();
    const c = b.open();
    expect(a.store.getState().model.name).toBe('LeNet-5 (edited)');
    expect(c.store.getState().model.name).toBe('LeNet-5 (edited)');
    a.setFilters('c3', 24);
    c.setFilters('c3', 32);
    expect(b.filtersIn('c3')).toBe(24);
    const said = c.notice('saving');
    expect(said?.text).toBe(
      'Another tab saved a different model (“LeNet-5 (edited)”). This tab has stopped autosaving so as not to replace it. The address still holds this tab’s model.',
    );
    c.setFilters('c3', 40);
    expect(c.notice('saving')).toBe(said);
    expect(b.filtersIn('c3')).toBe(24);
    // Tab A, whose model is stored, is told nothing yet: nothing of its work was touched.
    expect(a.notice('saving')).toBeUndefined();

    c.act('saving', 'Autosave this tab’s model');
    expect(b.filtersIn('c3')).toBe(40);
    expect(b.filtersIn('c3', PREVIOUS_KEY)).toBe(24);
    // Tab A's work was just replaced: it hears of it at once and stops saving, so the two never fight.
    expect(a.notice('saving')?.text).toContain('Another tab saved a different model');
    a.setFilters('c3', 28);
    expect(b.filtersIn('c3')).toBe(40);
    a.act('saving', 'Open the other tab’s model');
    expect(a.store.getState().model.layers.find((l) => l.name === 'c3')?.spec).toMatchObject({ filters: 40 });
    a.setFilters('c3', 44);
    expect(b.filtersIn('c3')).toBe(44);
    expect(c.notice('saving')?.text).toContain('Another tab saved a different model');
  });

  it('a tab that opens something new moves the other tab’s model to “previous”, and that tab is told', () => {
    const b = browser();
    const a = b.open();
    a.store.getState().loadPreset('lenet5');
    a.setFilters('c3', 20);
    const c = b.open();
    c.store.getState().loadPreset('mnist');
    c.settle();
    expect(b.stored()?.name).toBe('MNIST CNN');
    expect(b.filtersIn('c3', PREVIOUS_KEY)).toBe(20);
    expect(a.notice('saving')?.text).toContain('Another tab saved a different model (“MNIST CNN”)');
    expect(a.store.getState().savedModels.map((m) => m.model.name)).toEqual(['MNIST CNN', 'LeNet-5 (edited)']);
  });
});

describe('runs kept by another tab', () => {
  afterEach(() => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });

  it('show up in this tab’s list as soon as that tab keeps them', () => {
    const b = browser();
    (globalThis as { localStorage?: unknown }).localStorage = b.shared;
    const a = b.open();
    const run = { id: 'r1', date: '2026-01-01T00:00:00.000Z', modelName: 'from the other tab', dataset: 'mnist' };
    const record = {
      ...run,
      backend: 'wasm',
      settings: {},
      params: 10,
      classes: [],
      steps: [],
      epochs: [],
      stopped: false,
      testAccuracy: 0.5,
      confusion: null,
      seconds: 1,
      imagesPerSecond: 1,
    };
    b.shared.setItem(RUNS_KEY, JSON.stringify([record]));
    expect(a.store.getState().records).toEqual([]);
    b.open().storage.setItem(RUNS_KEY, JSON.stringify([record]));
    expect(a.store.getState().records.map((r) => r.modelName)).toEqual(['from the other tab']);
  });
});

describe('an autosave this ConvScope cannot read', () => {
  it.each(Object.entries(UNREADABLE))(
    'a %s one is kept, said, downloadable as found, and never overwritten',
    (kind, bad) => {
      const b = browser();
      b.shared.setItem(AUTOSAVE_KEY, bad);
      const tab = b.open();
      expect(tab.store.getState().model.name).toBe('ResNet-20 (option A)');
      const notice = tab.notice('kept');
      expect(notice?.text).toMatch(
        kind === 'newer version'
          ? /^Your autosaved model was made by a newer ConvScope \(format version 2; this one reads version 1\)\. It is kept in this browser and will not be overwritten/
          : /^Your autosaved model could not be read \(.+\)\. It is kept in this browser and will not be overwritten\.$/,
      );
      tab.store.getState().loadPreset('lenet5');
      tab.settle();
      expect(b.stored()?.name).toBe('LeNet-5');
      const [key] = keptKeys(b.shared);
      expect(b.shared.getItem(key!)).toBe(bad);
      tab.act('kept', 'Download it');
      expect(tab.downloads.map((d) => d.text)).toEqual([bad]);
      // Said again at the next start, until the person discards it.
      const again = b.open();
      again.act('kept', 'Discard it');
      expect(keptKeys(b.shared)).toEqual([]);
      expect(b.open().notice('kept')).toBeUndefined();
    },
  );

  it('a kept model that this (newer) ConvScope can read is offered, and let go once it is autosaved again', () => {
    const b = browser();
    b.shared.setItem(
      'convscope:autosave:kept:2026-01-01T00:00:00.000Z',
      JSON.stringify({ name: 'old', layers: [{ type: 'Input', shape: [8] }] }),
    );
    const tab = b.open();
    expect(tab.notice('kept')?.text).toBe('An autosaved model that an older ConvScope could not read is kept: “old”.');
    tab.act('kept', 'Open it');
    expect(tab.store.getState().model.name).toBe('old');
    tab.settle();
    expect(b.stored()?.name).toBe('old');
    expect(keptKeys(b.shared)).toEqual([]);
  });
});
