import type { Model } from '../engine/model/model';
import { readModelData } from '../io/read-model';
import { modelJson, rememberJson } from './model-json';
import { HISTORY } from './model-slice';

/**
 * A tab's model and its undo and redo steps, kept in sessionStorage (one per tab; it survives a
 * reload, not the tab's closing) so that a reload puts back exactly what the tab had.
 */
export const SESSION_KEY = 'convscope:session';
/**
 * Characters the steps may take: sessionStorage holds about 5 million per site, and every change
 * writes the whole history. The model on screen is always kept (up to MAX_MODEL_CHARS); steps
 * nearest to it go first, until the budget is spent.
 */
export const SESSION_BUDGET = 2_000_000;
/** A model bigger than this is not kept: only a note that the address may be out of date. */
export const MAX_MODEL_CHARS = 4_000_000;

export interface TabSession {
  /** The page's address (path, search, hash) when written: a reload of another address ignores it. */
  readonly address: string;
  readonly source: string;
  /** null: the model was too big to keep (the address's hash may be older than what was on screen). */
  readonly model: Model | null;
  readonly past: readonly Model[];
  readonly future: readonly Model[];
}

/** The steps nearest the model on screen first (last undo, first redo, …), as many as fit. */
function nearestSteps(past: readonly Model[], future: readonly Model[], budget: number) {
  const before: string[] = [];
  const after: string[] = [];
  let left = budget;
  for (let i = 0; i < Math.max(past.length, future.length) && before.length + after.length < HISTORY; i++) {
    for (const [list, step] of [
      [before, past[past.length - 1 - i]],
      [after, future[i]],
    ] as const) {
      if (!step) continue;
      const text = modelJson(step);
      if (text.length + 1 > left) return { before: before.reverse(), after };
      left -= text.length + 1;
      list.push(text);
    }
  }
  return { before: before.reverse(), after };
}

/** The session as stored text. Models' JSON is reused (modelJson), so a write costs little more than the copy. */
export function encodeSession(
  address: string,
  source: string,
  model: Model,
  past: readonly Model[],
  future: readonly Model[],
  budget = SESSION_BUDGET,
): string {
  const head = `{"v":1,"address":${JSON.stringify(address)},"source":${JSON.stringify(source)}`;
  const text = modelJson(model);
  if (text.length > MAX_MODEL_CHARS) return `${head},"model":null,"past":[],"future":[]}`;
  const { before, after } = nearestSteps(past, future, budget);
  return `${head},"model":${text},"past":[${before.join(',')}],"future":[${after.join(',')}]}`;
}

function readStep(data: unknown): Model | null {
  if (typeof data !== 'object' || data === null) return null;
  const read = readModelData(data);
  if (!read.ok) return null;
  // The text it was written as: JSON.stringify gives back the same characters.
  rememberJson(read.model, JSON.stringify(data));
  return read.model;
}

/** Reads a stored session; anything unreadable is ignored (null), a bad step is left out. */
export function decodeSession(text: string | null): TabSession | null {
  if (!text) return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const { v, address, source, model, past, future } = data as Record<string, unknown>;
  if (v !== 1 || typeof address !== 'string' || typeof source !== 'string') return null;
  if (!Array.isArray(past) || !Array.isArray(future)) return null;
  const current = model === null ? null : readStep(model);
  if (model !== null && current === null) return null;
  const steps = (list: unknown[]) => list.map(readStep).filter((m): m is Model => m !== null);
  return { address, source, model: current, past: current ? steps(past) : [], future: current ? steps(future) : [] };
}

/**
 * Writes the tab's session; if storage refuses, with fewer steps, then without the model (so a
 * reload at least knows the address's model is out of date). Never throws.
 */
export function writeSession(
  storage: Storage,
  address: string,
  source: string,
  model: Model,
  past: readonly Model[],
  future: readonly Model[],
): void {
  for (const budget of [SESSION_BUDGET, 0]) {
    try {
      storage.setItem(SESSION_KEY, encodeSession(address, source, model, past, future, budget));
      return;
    } catch {
      // Too big for what is left: try with less.
    }
  }
  try {
    storage.setItem(SESSION_KEY, JSON.stringify({ v: 1, address, source, model: null, past: [], future: [] }));
  } catch {
    // Storage off: a reload opens the address as it is.
  }
}
