import { Fragment, useState } from 'react';
import { categories, layerKinds, templateSpec, type LayerType } from '../../engine/layers/registry';
import { uniqueName } from '../../engine/model/edits';
import { appStore, useAppStore } from '../../state/store';
import { moveFocus } from './roving';

const TITLES: Record<string, string> = {
  input: 'Input',
  convolution: 'Convolution',
  pooling: 'Pooling',
  normalization: 'Normalisation',
  activation: 'Activation',
  dense: 'Dense',
  shape: 'Shape',
  merge: 'Merge',
  sequence: 'Sequence',
  wrapper: 'Wrapper',
  block: 'Blocks',
};

/** Names a new layer as Keras would: conv2d, conv2d_1, … */
function baseName(type: string): string {
  return type
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** "GlobalAveragePooling2D" with line-break opportunities between its words. */
function breakable(type: string) {
  return type.split(/(?=[A-Z][a-z])/).map((part, i) => (
    <Fragment key={i}>
      {i > 0 && <wbr />}
      {part}
    </Fragment>
  ));
}

/** Every layer kind the engine has, grouped; a click inserts one after the selected layer. */
export function Palette() {
  const [current, setCurrent] = useState<string>(layerKinds[0]?.type ?? '');
  const edit = useAppStore((s) => s.edit);
  const select = useAppStore((s) => s.select);
  const insert = (type: LayerType) => {
    const { model, selected, notation } = appStore.getState();
    const at = selected === null ? model.layers.length : model.layers.findIndex((l) => l.name === selected) + 1;
    const name = uniqueName(model, baseName(type));
    const spec = templateSpec(type, notation);
    const isMerge =
      spec.type === 'Add' ||
      spec.type === 'Concatenate' ||
      spec.type === 'Multiply' ||
      spec.type === 'Average' ||
      spec.type === 'Maximum';
    const previous = model.layers[at - 1];
    const inputs = isMerge && previous ? [previous.name, model.layers[at - 2]?.name ?? previous.name] : undefined;
    edit([{ kind: 'insert', index: at, layer: { name, spec, ...(inputs ? { inputs } : {}) } }]);
    select(name);
  };
  return (
    <nav className="palette" aria-label="Layer palette">
      <h2>Add a layer</h2>
      <p className="hint" id="palette-hint">
        Inserted after the selected layer. Arrow keys move between kinds.
      </p>
      <div role="toolbar" aria-orientation="vertical" aria-describedby="palette-hint" onKeyDown={moveFocus}>
        {categories.map((category) => (
          <section key={category} aria-labelledby={`palette-${category}`}>
            <h3 id={`palette-${category}`}>{TITLES[category]}</h3>
            <ul>
              {layerKinds
                .filter((k) => k.category === category)
                .map((k) => (
                  <li key={k.type}>
                    <button
                      type="button"
                      title={k.summary}
                      tabIndex={k.type === current ? 0 : -1}
                      onFocus={() => setCurrent(k.type)}
                      onClick={() => insert(k.type)}
                    >
                      {breakable(k.type)}
                    </button>
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </div>
    </nav>
  );
}
