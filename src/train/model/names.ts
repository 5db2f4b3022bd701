/**
 * How the engine's layers are named in the tfjs model, so that the UI, the checks and a saved
 * model can find each one.
 *
 * - A top-level layer keeps its engine name; a name tfjs refuses (it takes
 *   [A-Za-z0-9][-A-Za-z0-9._/]*) is written as "u." and the hex of its UTF-8 bytes.
 * - A layer inside a block or wrapper is `parent/child`; a block's last layer (its output) takes
 *   the block's own name, so `model.getLayer(engineName)` works for every top-level layer.
 * - A helper tfjs needs beside the layer (its padding, a layout change) is `owner/.what`.
 */

const PLAIN = /^[A-Za-z0-9][-A-Za-z0-9._]*$/;

/** The tfjs name of an engine layer name (one path segment). */
export function tfjsName(name: string): string {
  if (PLAIN.test(name) && !name.startsWith('u.')) return name;
  const hex = Array.from(new TextEncoder().encode(name), (b) => b.toString(16).padStart(2, '0')).join('');
  return `u.${hex}`;
}

/** The tfjs name of a block's or wrapper's child; the last child of a block is the block. */
export function childName(parent: string, child: string, isBlockOutput: boolean): string {
  return isBlockOutput ? parent : `${parent}/${tfjsName(child)}`;
}

const HELPER = '/.';

/** A helper layer of `owner` (unique names are the builder's job). */
export function helperName(owner: string, what: string): string {
  return `${owner}${HELPER}${what}`;
}

/** The engine layer (its tfjs name) a tfjs layer belongs to: its name without a helper suffix. */
export function ownerOf(tfjsLayerName: string): string {
  const at = tfjsLayerName.indexOf(HELPER);
  return at < 0 ? tfjsLayerName : tfjsLayerName.slice(0, at);
}
