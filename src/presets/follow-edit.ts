import type { Model } from '../engine/model/model';
import { presets, type Preset } from '.';
import type { PresetText } from './teaching-text';

/** Each preset's text as built, by model name (worked out once, when first needed). */
let built: Map<string, { preset: Preset; description: string }> | undefined;

function builtTexts() {
  built ??= new Map(
    presets.map((preset) => {
      const file = preset.build();
      return [file.name, { preset, description: file.description }];
    }),
  );
  return built;
}

/** The preset whose text the model shows (as built, or as its describer derives it), if any. */
function textSource(model: Model): { preset: Preset; text: PresetText } | undefined {
  const description = model.description ?? '';
  for (const preset of presets) {
    const text = preset.describe?.(model);
    if (text && text.name === model.name && text.description === description) return { preset, text };
  }
  const known = builtTexts().get(model.name);
  if (known && !known.preset.describe && known.description === description)
    return { preset: known.preset, text: { name: model.name, description } };
  return undefined;
}

/**
 * The title of an edited preset: "ResNet-20 (option A) (edited)"; a derived title loses the
 * number it can no longer vouch for: "Causal dilated Conv1D (lookback 31)" → "… Conv1D (edited)".
 */
export function editedName(name: string, derived: boolean): string {
  return `${derived ? name.replace(/\s*\([^()]*\)$/, '') : name} (edited)`;
}

/**
 * A preset's title and description after an edit: worked out again from the layers where the
 * preset can (the causal stack's lookback, MNIST's filter counts), else the title marked edited
 * and the description dropped, rather than left saying what is no longer true. Models whose text
 * is not a preset's (the person's own, imported files) are left as they are.
 */
export function followEdit(before: Model, after: Model): Model {
  if (after === before || after.name !== before.name || after.description !== before.description) return after;
  const source = textSource(before);
  if (!source) return after;
  const text = source.preset.describe?.(after);
  if (text) {
    if (text.name === after.name && text.description === (after.description ?? '')) return after;
    return { ...after, name: text.name, description: text.description };
  }
  const { description: _stale, ...rest } = after;
  return { ...rest, name: editedName(after.name, source.preset.describe !== undefined) };
}
