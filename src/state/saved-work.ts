import type { Model } from '../engine/model/model';
import { FORMAT_ID, FORMAT_VERSION } from '../io/project/format';
import { readModelText } from '../io/read-model';

/**
 * The model autosaved in this browser (localStorage): the last model the person worked on, as a
 * project file (docs/model-format.md), so older and newer ConvScopes read it too.
 */
export const AUTOSAVE_KEY = 'convscope:autosave';
/** The model the autosave held before a new piece of work (or another tab's model) replaced it. */
export const PREVIOUS_KEY = 'convscope:autosave:previous';
/** An autosave this ConvScope could not read, kept as found under `…kept:<date>`, never overwritten. */
const KEPT_PREFIX = 'convscope:autosave:kept:';

/** What a storage key holds. */
export type Entry =
  | { readonly kind: 'none' }
  | { readonly kind: 'model'; readonly text: string; readonly model: Model }
  | {
      readonly kind: 'unreadable';
      readonly text: string;
      readonly reason: string;
      /** The format version of a file from a newer ConvScope, else null. */
      readonly newer: number | null;
    };

export function readEntry(storage: Storage, key: string): Entry {
  const text = storage.getItem(key);
  if (text === null) return { kind: 'none' };
  const read = readModelText(text);
  if (read.ok) return { kind: 'model', text, model: read.model };
  return { kind: 'unreadable', text, reason: read.error, newer: newerVersion(text) };
}

function newerVersion(text: string): number | null {
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data !== 'object' || data === null) return null;
    const { format, version } = data as Record<string, unknown>;
    return format === FORMAT_ID && typeof version === 'number' && version > FORMAT_VERSION ? version : null;
  } catch {
    return null;
  }
}

/** The keys of kept (set aside) entries, newest first. */
export function keptKeys(storage: Storage): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(KEPT_PREFIX)) keys.push(key);
  }
  return keys.sort().reverse();
}

/**
 * Keeps text this ConvScope cannot read under a key of its own, where nothing overwrites it
 * (the same text is kept once). Returns the key; throws when storage refuses (full).
 */
export function keepAside(storage: Storage, text: string, now = new Date()): string {
  const same = keptKeys(storage).find((k) => storage.getItem(k) === text);
  if (same) return same;
  let key = `${KEPT_PREFIX}${now.toISOString()}`;
  for (let n = 2; storage.getItem(key) !== null; n++) key = `${KEPT_PREFIX}${now.toISOString()}-${n}`;
  storage.setItem(key, text);
  return key;
}

/**
 * At start: an autosave this ConvScope cannot read (damaged, not a model, or from a newer
 * version) is moved aside, so the next autosave does not overwrite it. It stays where it is when
 * storage refuses the copy (saveAutosave then never overwrites it either).
 */
export function setAsideUnreadable(storage: Storage): void {
  const entry = readEntry(storage, AUTOSAVE_KEY);
  if (entry.kind !== 'unreadable') return;
  try {
    keepAside(storage, entry.text);
    storage.removeItem(AUTOSAVE_KEY);
  } catch {
    // Storage full: the entry stays under its key, unread and untouched.
  }
}

export type SaveOutcome =
  /** `displaced`: the stored model (not this tab's work) was moved to PREVIOUS_KEY or kept aside. */
  | { readonly kind: 'saved'; readonly displaced: boolean }
  | { readonly kind: 'unchanged' }
  /** Another tab saved a different model since this tab's `base`: nothing was written. */
  | { readonly kind: 'conflict'; readonly theirs: string }
  | { readonly kind: 'full' }
  /** Storage is switched off or refused for another reason. */
  | { readonly kind: 'unavailable' };

/**
 * Writes `text` (a model's JSON) as the autosave. `base` is the stored text this tab's work
 * continues (what it restored or last wrote), null when the tab opened something new since.
 * When storage holds something other than `base`:
 * - `base` is null (new work) or `replace` is set (the person chose this tab's model over another
 *   tab's): the stored model is moved to PREVIOUS_KEY (kept aside if unreadable), then replaced;
 *   if that copy fails, nothing is replaced;
 * - otherwise another tab saved meanwhile: nothing is written, and the outcome says so.
 */
export function saveAutosave(storage: Storage, text: string, base: string | null, replace = false): SaveOutcome {
  try {
    const stored = storage.getItem(AUTOSAVE_KEY);
    if (stored === text) return { kind: 'unchanged' };
    let displaced = false;
    if (stored !== null && stored !== base) {
      if (base !== null && !replace) return { kind: 'conflict', theirs: stored };
      if (readModelText(stored).ok) storage.setItem(PREVIOUS_KEY, stored);
      else keepAside(storage, stored);
      displaced = true;
    }
    storage.setItem(AUTOSAVE_KEY, text);
    return { kind: 'saved', displaced };
  } catch (e) {
    return { kind: isQuotaError(e) ? 'full' : 'unavailable' };
  }
}

/** Browsers name a full storage differently (Chromium and WebKit, older Firefox). */
export function isQuotaError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014;
}
