import { useId, useState } from 'react';
import type { FieldContext } from '../../engine/layers/field-values';
import { checkField, fieldNote, shownText, typedAsShown, type FieldModel } from './field-model';

interface Props {
  readonly field: FieldModel;
  readonly spec: Record<string, unknown>;
  /** The notation fields are read and shown in, the model's layout and the layer's windows. */
  readonly context: FieldContext;
  /** Called with the new spec when the typed value is valid. */
  readonly onValid: (spec: Record<string, unknown>, field: string) => void;
}

/**
 * One field of a layer form. It validates as you type: an impossible value is flagged here and
 * the model keeps its last valid value; a valid one updates the model at once.
 */
export function FieldControl({ field, spec, context, onValid }: Props) {
  const id = useId();
  const type = String(spec['type']);
  const value = spec[field.name];
  const shown = shownText(type, field.name, value, context);
  const note = fieldNote(type, field.name, value, context);
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  const [seen, setSeen] = useState(shown);
  // A change from elsewhere (undo, a fix, the notation) replaces what is typed, unless it is
  // what was typed.
  if (seen !== shown) {
    setSeen(shown);
    if (typedAsShown(type, field.name, text, context) !== shown) {
      setText(shown);
      setError(null);
    }
  }

  const commit = (next: string) => {
    setText(next);
    const checked = checkField(spec, field.name, next, context);
    if (checked.ok) {
      setError(null);
      onValid(checked.spec, field.name);
    } else setError(checked.error);
  };

  const describedBy =
    [field.description ? `${id}-doc` : '', note ? `${id}-note` : '', error ? `${id}-error` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  let control;
  if (field.control === 'checkbox') {
    control = (
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        onChange={(e) => commit(String(e.target.checked))}
        aria-describedby={describedBy}
      />
    );
  } else if (field.control === 'select') {
    control = (
      <select id={id} value={text} onChange={(e) => commit(e.target.value)} aria-describedby={describedBy}>
        {field.options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  } else if (field.control === 'json') {
    control = (
      <textarea
        id={id}
        value={text}
        rows={3}
        onChange={(e) => commit(e.target.value)}
        aria-invalid={error !== null}
        aria-describedby={describedBy}
        spellCheck={false}
      />
    );
  } else {
    control = (
      <>
        <input
          id={id}
          type="text"
          inputMode="text"
          value={text}
          onChange={(e) => commit(e.target.value)}
          aria-invalid={error !== null}
          aria-describedby={describedBy}
          list={field.options.length ? `${id}-options` : undefined}
          spellCheck={false}
          autoComplete="off"
          placeholder={field.optional ? 'default' : ''}
        />
        {field.options.length > 0 && (
          <datalist id={`${id}-options`}>
            {field.options.map((o) => (
              <option key={o} value={o} />
            ))}
          </datalist>
        )}
      </>
    );
  }
  return (
    <div className={`field${error ? ' invalid' : ''}${field.control === 'checkbox' ? ' checkbox' : ''}`}>
      <label htmlFor={id}>{field.label}</label>
      {control}
      {field.description && (
        <p id={`${id}-doc`} className="field-doc">
          {field.description}
        </p>
      )}
      {note && (
        <p id={`${id}-note`} className="field-doc" data-testid="field-note">
          {note}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
