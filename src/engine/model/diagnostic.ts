/** How bad a problem is: an `error` stops the model from being built; a `warning` does not. */
export type Severity = 'error' | 'warning';

/**
 * A problem found in a model, located at a layer (or at the model when `layer` is null) and
 * explained in plain words with the fix. The engine returns these; it never throws for a bad
 * model.
 */
export interface Diagnostic {
  readonly layer: string | null;
  readonly severity: Severity;
  /** A stable identifier of the kind of problem (for tests, links and one-click fixes). */
  readonly code: string;
  readonly message: string;
}

/** A diagnostic before it is placed at its layer. */
export type Issue = Omit<Diagnostic, 'layer'>;

export function error(code: string, message: string): Issue {
  return { severity: 'error', code, message };
}

/** A problem that does not stop the model from being built. */
export function warning(code: string, message: string): Issue {
  return { severity: 'warning', code, message };
}
