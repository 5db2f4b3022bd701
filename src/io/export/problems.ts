import type { Analysis } from '../../engine/analysis/result';
import { diagnosticText } from '../../engine/model/diagnostic';
import type { Notation } from '../../engine/notation';

/** Why a layer cannot be written in a target: located, so nothing half-right is exported. */
export interface ExportProblem {
  readonly layer: string | null;
  readonly message: string;
}

export type ExportResult<T> = { ok: true; value: T } | { ok: false; problems: readonly ExportProblem[] };

/** Collects problems while a target is built; `value` is returned only if there are none. */
export class ProblemList {
  readonly items: ExportProblem[] = [];

  add(layer: string | null, message: string): void {
    this.items.push({ layer, message });
  }

  result<T>(value: T): ExportResult<T> {
    return this.items.length ? { ok: false, problems: this.items } : { ok: true, value };
  }
}

/**
 * A model with errors is not exported: its diagnostics say what to fix first, with shapes in
 * the target framework's notation.
 */
export function modelProblems(analysis: Analysis, notation: Notation): ExportProblem[] {
  const format = analysis.model.dataFormat;
  return analysis.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ layer: d.layer, message: `fix this first: ${diagnosticText(d, format, notation)}` }));
}
