import { error, type Issue } from '../model/diagnostic';
import type { ModelLayer } from '../model/model';
import { kindOf } from '../layers/registry';

/** A model's wiring, resolved: who feeds whom, in what order to analyse, and what is wrong. */
export interface Wiring {
  /** Resolved input names per layer (by model index). */
  readonly inputsOf: readonly (readonly string[])[];
  /** Model indices in a topological order; layers in or after a cycle are left out. */
  readonly order: readonly number[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** Problems of wiring, by model index. */
  readonly issues: ReadonlyMap<number, Issue[]>;
}

/**
 * Resolves a model's wiring: a layer without `inputs` takes the previous layer; names must be
 * unique and references must exist; the graph must be acyclic (Kahn's algorithm; a cycle is
 * reported once, with its path, at its first layer).
 */
export function resolveWiring(layers: readonly ModelLayer[]): Wiring {
  const issues = new Map<number, Issue[]>();
  const report = (i: number, issue: Issue) => issues.set(i, [...(issues.get(i) ?? []), issue]);
  const indexOf = new Map<string, number>();
  layers.forEach((layer, i) => {
    if (indexOf.has(layer.name)) {
      report(i, error('duplicate-name', `Another layer is already named '${layer.name}'. Layer names must be unique.`));
    } else {
      indexOf.set(layer.name, i);
    }
  });
  const inputsOf = layers.map((_, i) => resolveInputs(layers, i, indexOf, (issue) => report(i, issue)));
  const order = topologicalOrder(layers.length, inputsOf, indexOf);
  reportCycles(layers, inputsOf, indexOf, order, report);
  return { inputsOf, order, indexOf, issues };
}

function resolveInputs(
  layers: readonly ModelLayer[],
  i: number,
  indexOf: ReadonlyMap<string, number>,
  report: (issue: Issue) => void,
): string[] {
  const layer = layers[i] as ModelLayer;
  const arity = layer.spec ? kindOf(layer.spec.type).arity : 'one';
  if (arity === 'none') return [];
  const previous = layers[i - 1];
  const inputs = layer.inputs ? [...layer.inputs] : previous ? [previous.name] : [];
  const known = inputs.filter((name) => {
    const source = indexOf.get(name);
    if (source !== undefined && source !== i) return true;
    report(
      source === i
        ? error('self-input', `'${layer.name}' takes its own output as input.`)
        : error('missing-input', `'${layer.name}' takes its input from '${name}', which is not a layer of this model.`),
    );
    return false;
  });
  if (inputs.length === 0) {
    report(
      error('no-input', `'${layer.name}' has no input. Put an Input layer first, or name the layer that feeds it.`),
    );
  } else if (arity === 'one' && inputs.length > 1) {
    report(
      error(
        'too-many-inputs',
        `'${layer.name}' takes one input but is given ${inputs.length}. Join them first with Add or Concatenate.`,
      ),
    );
  } else if (arity === 'many' && inputs.length < 2) {
    report(error('too-few-inputs', `'${layer.name}' joins two or more inputs but is given ${inputs.length}.`));
  }
  return known;
}

function topologicalOrder(
  count: number,
  inputsOf: readonly (readonly string[])[],
  indexOf: ReadonlyMap<string, number>,
): number[] {
  const pending = inputsOf.map((inputs) => inputs.length);
  const consumers: number[][] = Array.from({ length: count }, () => []);
  inputsOf.forEach((inputs, i) => inputs.forEach((name) => consumers[indexOf.get(name) as number]?.push(i)));
  const order: number[] = [];
  for (let i = 0; i < count; i++) if (pending[i] === 0) order.push(i);
  for (let head = 0; head < order.length; head++) {
    for (const next of consumers[order[head] as number] ?? []) {
      pending[next] = (pending[next] as number) - 1;
      if (pending[next] === 0) order.push(next);
    }
  }
  return order;
}

/** Finds each cycle among the unordered layers (depth-first) and reports its path once. */
function reportCycles(
  layers: readonly ModelLayer[],
  inputsOf: readonly (readonly string[])[],
  indexOf: ReadonlyMap<string, number>,
  order: readonly number[],
  report: (i: number, issue: Issue) => void,
): void {
  if (order.length === layers.length) return;
  const done = new Set(order);
  const state = new Map<number, 'open' | 'closed'>();
  const visit = (i: number, path: number[]): void => {
    state.set(i, 'open');
    for (const name of inputsOf[i] ?? []) {
      const j = indexOf.get(name) as number;
      if (done.has(j) || state.get(j) === 'closed') continue;
      if (state.get(j) === 'open') {
        const cycle = [...path.slice(path.indexOf(j)), i];
        const first = Math.min(...cycle);
        const names = [...cycle, cycle[0] as number]
          .reverse()
          .map((k) => layers[k]?.name)
          .join(' → ');
        report(first, error('cycle', `These layers feed each other in a loop: ${names}. A model must be acyclic.`));
        continue;
      }
      visit(j, [...path, i]);
    }
    state.set(i, 'closed');
  };
  layers.forEach((_, i) => {
    if (!done.has(i) && !state.has(i)) visit(i, []);
  });
}
