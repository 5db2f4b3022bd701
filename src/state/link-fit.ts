import type { Model } from '../engine/model/model';
import { jsonToHash } from '../io/share-url';
import { modelJson } from './model-json';

/**
 * The longest address the app writes. Browsers take more (Chromium 2 MB, Firefox 1 MB), but
 * links are pasted into chats, mail and documents that cut them far shorter, and a history entry
 * that the browser refuses would leave an older model in the address. 64 K characters hold about
 * 10,000 plain layers (ResNet-110's link is 3.3 K).
 */
export const MAX_URL_CHARS = 65_536;

/**
 * A model whose JSON is longer than this is not compressed for a link at all: lz-string takes
 * about a second per megabyte on the page's thread, so this bounds the pause after an edit (a
 * model this size has about 3,000 layers); the link would often be too long anyway, as JSON
 * compresses to between a third and a tenth. (npm run bench:link measures both.)
 */
export const MAX_LINK_SOURCE_CHARS = 250_000;

export type LinkFit =
  | { readonly ok: true; readonly hash: string }
  /** `chars`: the link's length, or the JSON's when it was too long to compress. */
  | { readonly ok: false; readonly chars: number; readonly compressed: boolean };

/**
 * The model's link hash, if an address with it (after `prefixChars` of origin, path and search)
 * stays within MAX_URL_CHARS. The size is checked before compressing, so a huge model never
 * holds up the page.
 */
export function linkFor(model: Model, prefixChars: number): LinkFit {
  const json = modelJson(model);
  if (json.length > MAX_LINK_SOURCE_CHARS) return { ok: false, chars: json.length, compressed: false };
  const hash = jsonToHash(json);
  if (prefixChars + hash.length > MAX_URL_CHARS) return { ok: false, chars: hash.length, compressed: true };
  return { ok: true, hash };
}
