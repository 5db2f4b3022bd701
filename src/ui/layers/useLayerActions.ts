import { useMemo } from 'react';
import { uniqueName } from '../../engine/model/edits';
import { appStore } from '../../state/store';

/** Row actions as edits; stable across renders so rows can be memoised. */
export function useLayerActions() {
  return useMemo(() => {
    const { edit, select } = appStore.getState();
    const indexOf = (name: string) => appStore.getState().model.layers.findIndex((l) => l.name === name);
    return {
      select,
      move: (name: string, delta: number) => edit([{ kind: 'move', name, to: indexOf(name) + delta }]),
      moveTo: (name: string, to: number) => edit([{ kind: 'move', name, to }]),
      remove: (name: string) => edit([{ kind: 'remove', name }]),
      duplicate: (name: string) => {
        const model = appStore.getState().model;
        const layer = model.layers[indexOf(name)];
        if (!layer?.spec) return;
        const copy = uniqueName(model, `${name.replace(/_\d+$/, '')}_1`);
        edit([
          {
            kind: 'insert',
            index: indexOf(name) + 1,
            layer: { name: copy, spec: layer.spec, ...(layer.group ? { group: layer.group } : {}) },
          },
        ]);
        select(copy);
      },
    };
  }, []);
}
