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

/** A model with errors is not exported: its diagnostics say what to fix first. */
export function modelProblems(
  diagnostics: readonly { layer: string | null; severity: string; message: string }[],
): ExportProblem[] {
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ layer: d.layer, message: `fix this first: ${d.message}` }));
}
