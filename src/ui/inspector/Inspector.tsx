import { useId, useState } from 'react';
import { explainLayer } from '../../engine/analysis/explain';
import { splitInnerId } from '../../engine/analysis/inner';
import type { LayerSpec } from '../../engine/layers/registry';
import { appStore, selectAnalysis, selectNotation, selectSelectedLayer, useAppStore } from '../../state/store';
import { FieldControl } from './FieldControl';
import { InnerLayerDetails } from './InnerLayerDetails';
import { LayerFacts } from './LayerFacts';
import { fieldsOf } from './field-model';
import { DenseSizeNote } from './DenseSizeNote';
import { LayerProblems } from './LayerProblems';
import { TrainableField } from './TrainableField';
import { useLayerActions } from '../layers/useLayerActions';

/** The selected layer: why its shape is what it is, its problems and fixes, and its fields. */
export function Inspector() {
  const analysis = useAppStore(selectAnalysis);
  const layer = useAppStore(selectSelectedLayer);
  const notation = useAppStore(selectNotation);
  const edit = useAppStore((s) => s.edit);
  if (!layer) {
    return (
      <aside className="inspector" aria-label="Layer details">
        <p className="muted">Select a layer to see why its shape is what it is, and to edit it.</p>
      </aside>
    );
  }
  const inner = splitInnerId(analysis, layer.name);
  if (inner) return <InnerLayerDetails layer={layer} parent={inner.parent} />;
  const modelLayer = analysis.model.layers.find((l) => l.name === layer.name);
  const spec = (modelLayer?.spec ?? null) as Record<string, unknown> | null;
  const onValid = (next: Record<string, unknown>, field: string) =>
    edit([{ kind: 'update', name: layer.name, spec: next as LayerSpec }], `${layer.name}.${field}`);
  return (
    <aside className="inspector" aria-labelledby="inspector-title">
      <h2 id="inspector-title" className="visually-hidden">
        Layer {layer.name}
      </h2>
      <section className="why" aria-label="Why this shape">
        <h3>Why this shape</h3>
        <p data-testid="why">
          {!layer.output && layer.issues.some((i) => i.severity === 'error')
            ? 'Not built: see the problem below.'
            : explainLayer(layer, analysis.model.dataFormat, notation)}
        </p>
      </section>
      <LayerProblems analysis={analysis} layer={layer.name} />
      <LayerFacts layer={layer} notation={notation} />
      <DenseSizeNote name={layer.name} />
      <LayerActions name={layer.name} />
      <RenameField name={layer.name} />
      <TrainableField name={layer.name} hasWeights={layer.weights.length > 0} />
      {spec && (
        <form className="layer-form" aria-label={`Fields of ${layer.name}`} onSubmit={(e) => e.preventDefault()}>
          {fieldsOf(String(spec['type']), notation).map((f) => (
            <FieldControl
              key={`${layer.name}.${f.name}`}
              field={f}
              spec={spec}
              context={{ notation, format: analysis.model.dataFormat, geometry: layer.geometry }}
              onValid={onValid}
            />
          ))}
          {spec['type'] !== 'Input' && (
            <InputsField name={layer.name} inputs={modelLayer?.inputs} resolved={layer.inputs} />
          )}
        </form>
      )}
    </aside>
  );
}

function LayerActions({ name }: { name: string }) {
  const actions = useLayerActions();
  const index = useAppStore((s) => s.model.layers.findIndex((l) => l.name === name));
  const count = useAppStore((s) => s.model.layers.length);
  return (
    <div className="button-row layer-actions" role="group" aria-label={`Actions on ${name}`}>
      <button
        type="button"
        onClick={() => actions.move(name, -1)}
        disabled={index <= 0}
        aria-keyshortcuts="Alt+ArrowUp"
      >
        ↑ Up
      </button>
      <button
        type="button"
        onClick={() => actions.move(name, 1)}
        disabled={index >= count - 1}
        aria-keyshortcuts="Alt+ArrowDown"
      >
        ↓ Down
      </button>
      <button type="button" onClick={() => actions.duplicate(name)}>
        Duplicate
      </button>
      <button type="button" onClick={() => actions.remove(name)} aria-keyshortcuts="Delete">
        Delete
      </button>
    </div>
  );
}

function RenameField({ name }: { name: string }) {
  const id = useId();
  const edit = useAppStore((s) => s.edit);
  const select = useAppStore((s) => s.select);
  const [text, setText] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const [seen, setSeen] = useState(name);
  if (seen !== name) {
    setSeen(name);
    setText(name);
    setError(null);
  }
  const commit = () => {
    const next = text.trim();
    if (next === name) return setError(null);
    if (!next) return setError('A layer needs a name.');
    const { model } = appStore.getState();
    if (model.layers.some((l) => l.name === next)) return setError(`Another layer is already named '${next}'.`);
    setError(null);
    edit([{ kind: 'rename', name, to: next }]);
    select(next);
  };
  return (
    <div className={`field rename${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>Name</label>
      <input
        id={id}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        aria-invalid={error !== null}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function InputsField({
  name,
  inputs,
  resolved,
}: {
  name: string;
  inputs: readonly string[] | undefined;
  resolved: readonly string[];
}) {
  const id = useId();
  const edit = useAppStore((s) => s.edit);
  const joined = (inputs ?? []).join(', ');
  const [text, setText] = useState(joined);
  const [seen, setSeen] = useState(joined);
  if (seen !== joined) {
    setSeen(joined);
    setText(joined);
  }
  const commit = () => {
    const names = text
      .split(/[,\s]+/)
      .map((n) => n.trim())
      .filter(Boolean);
    edit([{ kind: 'rewire', name, inputs: names.length ? names : undefined }]);
  };
  return (
    <div className="field">
      <label htmlFor={id}>inputs</label>
      <input
        id={id}
        value={text}
        placeholder={resolved.join(', ') || 'the layer above'}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        aria-describedby={`${id}-doc`}
        spellCheck={false}
      />
      <p id={`${id}-doc`} className="field-doc">
        Layers that feed this one, by name (empty: the layer above). Merges list two or more.
      </p>
    </div>
  );
}
