import { findLayer } from '../engine/analysis/inner';
import type { Model } from '../engine/model/model';
import { analysisOf } from './analysis';
import type { Notation } from '../engine/notation';
import { FIGURES, type Figure, type Panel } from './view-slice';
import type { AppState, AppStore } from './store';

/**
 * What a link keeps besides the model: how shapes are written, the selected layer (in lecture
 * mode, the step), the picture tab, the panel and lecture mode. The theme and lecture zoom are the
 * viewer's own and stay out of links.
 */
export interface LinkView {
  readonly notation: Notation;
  readonly layer: string | null;
  readonly figure: Figure;
  readonly panel: Panel;
  readonly lecture: boolean;
}

/** One setting in the address: its name there, its value when absent, how it is read and written. */
interface Property<K extends keyof LinkView> {
  readonly name: string;
  readonly default: LinkView[K];
  /** The value a text names, or undefined for anything else (the default is then kept). */
  parse(text: string): LinkView[K] | undefined;
  serialise(value: LinkView[K]): string;
  /** Also kept in this browser with the autosave, for a visit without a link. */
  readonly kept?: boolean;
}

/** The longest value read: layer names and options are short, and a link is hostile input. */
export const MAX_VALUE_CHARS = 200;

const NOTATIONS = ['pytorch', 'keras'] as const satisfies readonly Notation[];
const PANELS = ['layers', 'table', 'train'] as const satisfies readonly Panel[];

function oneOf<T extends string>(values: readonly T[]): (text: string) => T | undefined {
  return (text) => values.find((v) => v === text);
}

const asText = (value: string) => value;

/**
 * The view settings a link holds, TensorFlow Playground style: every one read and written through
 * this table, and only values other than the default are written, so links without them (all
 * links written before) open as they always did.
 */
export const LINK_PROPERTIES: { readonly [K in keyof LinkView]: Property<K> } = {
  notation: { name: 'notation', default: 'pytorch', parse: oneOf(NOTATIONS), serialise: asText, kept: true },
  layer: {
    name: 'layer',
    default: null,
    parse: (text) => (text === '' ? undefined : text),
    serialise: (value) => value ?? '',
  },
  figure: { name: 'picture', default: 'volumes', parse: oneOf(FIGURES), serialise: asText },
  panel: { name: 'panel', default: 'layers', parse: oneOf(PANELS), serialise: asText },
  lecture: {
    name: 'lecture',
    default: false,
    parse: (text) => (text === '1' || text === 'true' ? true : text === '0' || text === 'false' ? false : undefined),
    serialise: (value) => (value ? '1' : '0'),
  },
};

const KEYS = Object.keys(LINK_PROPERTIES) as (keyof LinkView)[];
const NAMES = new Set(KEYS.map((k) => LINK_PROPERTIES[k].name));

/** The parts of a hash (`#a=1&b=2`, or a bare query), as raw `name=value` strings. */
function parts(hash: string): string[] {
  return hash
    .replace(/^[#?]/, '')
    .split('&')
    .filter((p) => p !== '');
}

function nameOf(part: string): string {
  const at = part.indexOf('=');
  return at < 0 ? part : part.slice(0, at);
}

/**
 * The view settings a hash names, each only where its value is valid: an unknown value, one over
 * MAX_VALUE_CHARS or a repeated name is ignored, so the setting keeps its default. Never throws.
 */
export function readLinkView(hash: string): Partial<LinkView> {
  const params = new URLSearchParams(
    parts(hash)
      .filter((p) => NAMES.has(nameOf(p)))
      .join('&'),
  );
  const view: Partial<Record<keyof LinkView, unknown>> = {};
  for (const key of KEYS) {
    const values = params.getAll(LINK_PROPERTIES[key].name);
    const text = values[0];
    if (values.length !== 1 || text === undefined || text.length > MAX_VALUE_CHARS) continue;
    const value = LINK_PROPERTIES[key].parse(text);
    if (value !== undefined) view[key] = value;
  }
  return view as Partial<LinkView>;
}

/** The settings that differ from their defaults, as `name=value&…` (empty when none do). */
export function writeLinkView(view: Partial<LinkView>, only?: (p: Property<keyof LinkView>) => boolean): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const property = LINK_PROPERTIES[key] as Property<keyof LinkView>;
    const value = view[key];
    if (value === undefined || value === property.default || (only && !only(property))) continue;
    const text = property.serialise(value);
    if (text.length <= MAX_VALUE_CHARS) params.set(property.name, text);
  }
  return params.toString();
}

/** The settings kept in this browser beside the autosave (the notation), as stored text. */
export function keptViewText(view: LinkView): string {
  return writeLinkView(view, (p) => p.kept === true);
}

/**
 * A hash with its view settings replaced by `view`'s: the model (`m=`) and anything else is kept
 * character for character, so changing the selection never compresses the model again.
 */
export function withView(hash: string, view: Partial<LinkView>): string {
  const kept = parts(hash).filter((p) => !NAMES.has(nameOf(p)));
  const settings = writeLinkView(view);
  const all = settings === '' ? kept : [...kept, settings];
  return all.length === 0 ? '' : `#${all.join('&')}`;
}

/** The hash without its view settings: what identifies the model a reload of the tab shows. */
export function modelPart(hash: string): string {
  return withView(hash, {});
}

/**
 * `view` with a layer the model does not have left out (a link's layer may be anything); a layer
 * inside a block (`block/inner`) counts when the block has it.
 */
export function viewForModel(view: Partial<LinkView>, model: Model): Partial<LinkView> {
  if (view.layer === undefined || view.layer === null) return view;
  if (model.layers.some((l) => l.name === view.layer)) return view;
  if (findLayer(analysisOf(model), view.layer)) return view;
  const { layer: _unknown, ...rest } = view;
  return rest;
}

/** What a link of the page on screen holds besides the model. */
export function currentView(state: AppState): LinkView {
  const { notation, selected, figure, panel, lecture } = state;
  return { notation, layer: selected, figure, panel, lecture };
}

/** Shows the settings a link (or this browser) names; the layer only if the model on screen has it. */
export function applyView(store: AppStore, view: Partial<LinkView>): void {
  const { layer, ...rest } = viewForModel(view, store.getState().model);
  const settings = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  store.setState(settings);
  // Through `select`, so a layer inside a block unfolds its block as a click would.
  if (layer) store.getState().select(layer);
}

/** Where the kept settings live in this browser (next to the autosaved model). */
export const VIEW_KEY = 'convscope:view';

/** The settings this browser kept (the notation), or none where storage is off or holds junk. */
export function readKeptView(storage: Storage | null): Partial<LinkView> {
  try {
    const text = storage?.getItem(VIEW_KEY);
    const view = text ? readLinkView(text.slice(0, 1000)) : {};
    return Object.fromEntries(Object.entries(view).filter(([k]) => LINK_PROPERTIES[k as keyof LinkView].kept));
  } catch {
    return {};
  }
}

export function writeKeptView(storage: Storage | null, view: LinkView): void {
  try {
    storage?.setItem(VIEW_KEY, keptViewText(view));
  } catch {
    // Storage full or off: the address still holds the notation.
  }
}
