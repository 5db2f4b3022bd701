import { useId, useState } from 'react';

interface NumberFieldProps {
  readonly label: string;
  /** Undefined: left blank, allowed when `optional`. */
  readonly value: number | undefined;
  readonly min: number;
  readonly max: number;
  /** Whole numbers only (epochs, batch size). */
  readonly integer?: boolean;
  readonly hint?: string;
  readonly disabled?: boolean;
  /** Blank is allowed and means "no value" (shown as the placeholder, e.g. "all"). */
  readonly optional?: boolean;
  readonly placeholder?: string;
  readonly onChange: (value: number | undefined) => void;
  /** Tells the form whether the text typed is valid (Start waits for valid settings). */
  readonly onValidity?: (valid: boolean) => void;
}

/** A number in a range, checked as it is typed: an invalid one is flagged and not applied. */
export function NumberField({
  label,
  value,
  min,
  max,
  integer,
  hint,
  disabled,
  optional,
  placeholder,
  onChange,
  onValidity,
}: NumberFieldProps) {
  const id = useId();
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const [seen, setSeen] = useState(value);
  const [error, setError] = useState<string | null>(null);
  if (seen !== value) {
    setSeen(value);
    if (value === undefined) setText('');
    else if (Number(text) !== value) setText(String(value));
  }
  const commit = (next: string) => {
    setText(next);
    const n = Number(next);
    if (optional && next.trim() === '') {
      setError(null);
      onValidity?.(true);
      onChange(undefined);
      return;
    }
    const problem =
      next.trim() === '' || !Number.isFinite(n)
        ? 'Type a number.'
        : integer && !Number.isInteger(n)
          ? 'Type a whole number.'
          : n < min || n > max
            ? `Between ${min} and ${max}.`
            : null;
    setError(problem);
    onValidity?.(problem === null);
    if (problem === null) onChange(n);
  };
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="train-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        inputMode="decimal"
        value={text}
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={error !== null}
        aria-describedby={describedBy}
        onChange={(e) => commit(e.target.value)}
      />
      {hint && (
        <p className="field-doc" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
