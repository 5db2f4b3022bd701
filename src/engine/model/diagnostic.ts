import type { Notation } from '../notation';
import type { DataFormat } from '../shape/shape';
import { writeMessage, type Message } from '../text/message';

/** How bad a problem is: an `error` stops the model from being built; a `warning` does not. */
export type Severity = 'error' | 'warning';

/**
 * A problem found in a model, located at a layer (or at the model when `layer` is null) and
 * explained in plain words with the fix. The engine returns these; it never throws for a bad
 * model. Its text keeps shapes as slots (`Message`), so one analysis serves every notation:
 * `diagnosticText` writes it out.
 */
export interface Diagnostic {
  readonly layer: string | null;
  readonly severity: Severity;
  /** A stable identifier of the kind of problem (for tests, links and one-click fixes). */
  readonly code: string;
  readonly text: Message;
}

/** A diagnostic before it is placed at its layer. */
export type Issue = Omit<Diagnostic, 'layer'>;

/** A problem that stops the model from being built. */
export function error(code: string, text: Message | string): Issue {
  return { severity: 'error', code, text: typeof text === 'string' ? [text] : text };
}

/** A problem that does not stop the model from being built. */
export function warning(code: string, text: Message | string): Issue {
  return { severity: 'warning', code, text: typeof text === 'string' ? [text] : text };
}

/**
 * A diagnostic's (or issue's) sentence with its shapes in `notation`; `format` is the model's
 * own layout. What every screen, the CLI, the JSON summary and the embed API show.
 */
export function diagnosticText(diagnostic: Pick<Issue, 'text'>, format: DataFormat, notation: Notation): string {
  return writeMessage(diagnostic.text, format, notation);
}
