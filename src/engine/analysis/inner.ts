import type { Analysis, LayerResult } from './result';

/**
 * Layers inside blocks and wrappers (a ResNet block's `conv1`) as the editor names them:
 * `block/inner`. A top-level name always means the top-level layer, so an id with a `/` is a
 * layer inside a block only when no top-level layer has that exact name; inner names never hold a
 * `/` (blocks name their layers `conv1`, `shortcut_bn`…), so the block is what is before the last
 * `/` and the id is unambiguous.
 */
export const INNER_SEPARATOR = '/';

/** The id of `inner` inside the top-level layer `parent`. */
export function innerId(parent: string, inner: string): string {
  return `${parent}${INNER_SEPARATOR}${inner}`;
}

/** `{ parent, inner }` of an id that names no top-level layer of `analysis`, else null. */
export function splitInnerId(analysis: Analysis, id: string): { parent: string; inner: string } | null {
  const at = id.lastIndexOf(INNER_SEPARATOR);
  if (at <= 0 || at === id.length - 1 || topLevel(analysis, id)) return null;
  return { parent: id.slice(0, at), inner: id.slice(at + 1) };
}

const renamed = new WeakMap<LayerResult, LayerResult>();

/**
 * The layer an id names: a top-level layer, or one inside a block (`block/inner`), returned with
 * `name` set to its full id so that pictures title it unambiguously; its shapes, weights and
 * geometry are the engine's own for that layer, inferred from the block's real input. Memoised
 * per result, so the same id in the same analysis gives the same object.
 */
export function findLayer(analysis: Analysis, id: string): LayerResult | undefined {
  const top = topLevel(analysis, id);
  if (top) return top;
  const split = splitInnerId(analysis, id);
  if (!split) return undefined;
  const child = topLevel(analysis, split.parent)?.children?.find((c) => c.name === split.inner);
  if (!child) return undefined;
  let named = renamed.get(child);
  if (!named || named.name !== id) {
    named = { ...child, name: id };
    renamed.set(child, named);
  }
  return named;
}

/** The top-level layer an id belongs to: the layer itself, or the block holding it. */
export function ownerOf(analysis: Analysis, id: string): string {
  return splitInnerId(analysis, id)?.parent ?? id;
}

/**
 * Every layer a picture can be asked for, in reading order: each top-level layer, followed by its
 * inner layers when `open(layer)` says its block is unfolded (all of them when `open` is omitted).
 */
export function layerIds(analysis: Analysis, open: (parent: string) => boolean = () => true): string[] {
  return analysis.layers.flatMap((l) =>
    l.children && open(l.name) ? [l.name, ...l.children.map((c) => innerId(l.name, c.name))] : [l.name],
  );
}

/** Results of `layerIds`, each named by its id (see `findLayer`). */
export function allLayers(analysis: Analysis): LayerResult[] {
  return layerIds(analysis).flatMap((id) => findLayer(analysis, id) ?? []);
}

const indexes = new WeakMap<Analysis, Map<string, LayerResult>>();

/** A top-level layer by name (the first of that name), looked up in an index built once per analysis. */
export function topLevel(analysis: Analysis, name: string): LayerResult | undefined {
  let index = indexes.get(analysis);
  if (!index) {
    index = new Map();
    for (const l of analysis.layers) if (!index.has(l.name)) index.set(l.name, l);
    indexes.set(analysis, index);
  }
  return index.get(name);
}
