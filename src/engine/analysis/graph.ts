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
  const inputs = layer.inputs ?? (previous ? [previous.name] : []);
  const known: string[] = [];
  for (const name of inputs) {
    const source = indexOf.get(name);
    if (source !== undefined && source !== i) known.push(name);
    else if (source === i) report(error('self-input', `'${layer.name}' takes its own output as input.`));
    else
      report(
        error('missing-input', `'${layer.name}' takes its input from '${name}', which is not a layer of this model.`),
      );
  }
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

/**
 * Reports each cycle once, with its path, at its first layer. Every layer left out of the
 * order has an input that was also left out, so following such inputs must come back to a
 * layer already on the walk: that loop is a cycle. Iterative, so long loops cannot overflow.
 */
function reportCycles(
  layers: readonly ModelLayer[],
  inputsOf: readonly (readonly string[])[],
  indexOf: ReadonlyMap<string, number>,
  order: readonly number[],
  report: (i: number, issue: Issue) => void,
): void {
  if (order.length === layers.length) return;
  const ordered = new Set(order);
  const seen = new Set<number>();
  for (let start = 0; start < layers.length; start++) {
    if (ordered.has(start) || seen.has(start)) continue;
    const walk: number[] = [];
    const onWalk = new Map<number, number>();
    let at: number | undefined = start;
    while (at !== undefined && !seen.has(at)) {
      seen.add(at);
      onWalk.set(at, walk.length);
      walk.push(at);
      const next: number | undefined = (inputsOf[at] ?? [])
        .map((n) => indexOf.get(n) as number)
        .find((j) => !ordered.has(j));
      if (next !== undefined && onWalk.has(next)) {
        const cycle = walk.slice(onWalk.get(next));
        const loop = [cycle[0] as number, ...cycle.slice(1).reverse(), cycle[0] as number].map(
          (k) => layers[k]?.name ?? '?',
        );
        const names = loop.length > 10 ? [...loop.slice(0, 6), `… (${loop.length - 8} more)`, ...loop.slice(-2)] : loop;
        report(
          Math.min(...cycle),
          error('cycle', `These layers feed each other in a loop: ${names.join(' → ')}. A model must be acyclic.`),
        );
        break;
      }
      at = next;
    }
  }
}
