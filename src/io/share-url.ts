import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import type { Model } from '../engine/model/model';
import { toProjectFile, type ReadResult } from './project/format';
import { MAX_MODEL_BYTES, readModelData } from './read-model';

/** The hash key that holds a model: `#m=<compressed project JSON>`. */
const KEY = 'm';

/** The model as a URL hash, compressed (ResNet-110 fits in about 1 KB). */
export function modelToHash(model: Model): string {
  return `#${KEY}=${compressToEncodedURIComponent(JSON.stringify(toProjectFile(model)))}`;
}

/**
 * Reads a model from a URL hash. `undefined` when the hash holds no model; otherwise the model or
 * a message saying what is wrong with the link.
 */
export function modelFromHash(hash: string): ReadResult | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const packed = params.get(KEY);
  if (packed === null || packed === '') return undefined;
  if (packed.length > MAX_MODEL_BYTES) return { ok: false, error: 'The link is too long to hold a model.' };
  let text: string | null = null;
  try {
    text = decompressFromEncodedURIComponent(packed);
  } catch {
    text = null;
  }
  if (!text) return { ok: false, error: 'The link’s model is damaged (it may have been cut short when copied).' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The link’s model is damaged (it may have been cut short when copied).' };
  }
  const read = readModelData(data);
  return read.ok ? read : { ok: false, error: `The link’s model cannot be read: ${read.error}` };
}

/** The app's own URL options: `?embed=1`, `?origin=…`, `?src=…`, `?lecture=1`. */
export interface UrlOptions {
  readonly embed: boolean;
  readonly lecture: boolean;
  readonly src: string | null;
  /** The only origin an embedded app talks to, when given. */
  readonly origin: string | null;
}

export function urlOptions(search: string): UrlOptions {
  const params = new URLSearchParams(search);
  const flag = (name: string) => params.has(name) && params.get(name) !== '0' && params.get(name) !== 'false';
  return { embed: flag('embed'), lecture: flag('lecture'), src: params.get('src'), origin: params.get('origin') };
}
