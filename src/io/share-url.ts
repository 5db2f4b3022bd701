import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import type { Model } from '../engine/model/model';
import { toProjectFile, type ReadResult } from './project/format';
import { lzStringLength } from './lz-length';
import { MAX_MODEL_BYTES, readModelData } from './read-model';
import { sizeText } from './size-text';

/** The hash key that holds a model: `#m=<compressed project JSON>`. */
const KEY = 'm';

/** The model as a URL hash, compressed (ResNet-110 fits in about 1 KB). */
export function modelToHash(model: Model): string {
  return jsonToHash(JSON.stringify(toProjectFile(model)));
}

/** A project file's JSON, already written, as a URL hash. */
export function jsonToHash(json: string): string {
  return `#${KEY}=${compressToEncodedURIComponent(json)}`;
}

/**
 * Links longer than this are refused unread. Chromium's own limit on an address is 2 MB, so no
 * link that a browser opens is refused; it also bounds the time the length check below takes.
 */
export const MAX_LINK_CHARS = 2 * 2 ** 20;

const DAMAGED = 'The link’s model is damaged (it may have been cut short when copied).';

/**
 * The text a link's `m=` value holds, decompressed only after `lzStringLength` has checked, without
 * building it, that it is at most `limit` characters (lz-string alone expands some 53 KB links to
 * over 250 MB, which crashes the tab).
 */
export function decompressLink(
  packed: string,
  limit: number = MAX_MODEL_BYTES,
): { ok: true; text: string } | { ok: false; error: string } {
  if (packed.length > MAX_LINK_CHARS) {
    return {
      ok: false,
      error: `This link is longer than ${sizeText(MAX_LINK_CHARS)}, the most ConvScope reads (browsers cut longer ones), so it was not opened.`,
    };
  }
  const size = lzStringLength(packed, limit);
  if (size.kind === 'over') {
    return {
      ok: false,
      error: `This link’s model would expand to more than ${sizeText(limit)}; ConvScope stops reading at ${sizeText(limit)} (a model’s JSON is usually well under 1 MB), so the link was not opened.`,
    };
  }
  if (size.kind === 'damaged' || size.length === 0) return { ok: false, error: DAMAGED };
  let text: string | null = null;
  try {
    text = decompressFromEncodedURIComponent(packed);
  } catch {
    text = null;
  }
  return text ? { ok: true, text } : { ok: false, error: DAMAGED };
}

/**
 * Reads a model from a URL hash. `undefined` when the hash holds no model; otherwise the model or
 * a message saying what is wrong with the link.
 */
export function modelFromHash(hash: string): ReadResult | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const packed = params.get(KEY);
  if (packed === null || packed === '') return undefined;
  const unpacked = decompressLink(packed);
  if (!unpacked.ok) return unpacked;
  let data: unknown;
  try {
    data = JSON.parse(unpacked.text);
  } catch {
    return { ok: false, error: DAMAGED };
  }
  const read = readModelData(data);
  return read.ok ? read : { ok: false, error: `The link’s model cannot be read: ${read.error}` };
}

/** `?origin=`: the web origin it names, or why it names none. */
export type OriginOption =
  { readonly ok: true; readonly origin: string } | { readonly ok: false; readonly error: string };

/**
 * Reads `?origin=` as a browser compares origins: `https://Docs.Example.org/guide/` is
 * `https://docs.example.org`. Only http(s) addresses name an origin a page can have; `*`, `null`,
 * a bare word or a `file:` address are refused, with a message for the person looking at the frame.
 */
export function originOption(value: string): OriginOption {
  let url: URL | null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url && (url.protocol === 'https:' || url.protocol === 'http:')) return { ok: true, origin: url.origin };
  const shown = value.length > 80 ? `${value.slice(0, 79)}…` : value;
  return {
    ok: false,
    error: `This frame’s ?origin=${shown}${value === '' ? ' (empty)' : ''} is not a web origin such as https://docs.example.org, so the frame neither sends messages to the page around it nor accepts any.`,
  };
}

/** The app's own URL options: `?embed=1`, `?origin=…`, `?src=…`, `?lecture=1`. */
export interface UrlOptions {
  readonly embed: boolean;
  readonly lecture: boolean;
  readonly src: string | null;
  /** The only origin an embedded app talks to, when given (or why the value given is no origin). */
  readonly origin: OriginOption | null;
}

export function urlOptions(search: string): UrlOptions {
  const params = new URLSearchParams(search);
  const flag = (name: string) => params.has(name) && params.get(name) !== '0' && params.get(name) !== 'false';
  const origin = params.get('origin');
  return {
    embed: flag('embed'),
    lecture: flag('lecture'),
    src: params.get('src'),
    origin: origin === null ? null : originOption(origin),
  };
}
