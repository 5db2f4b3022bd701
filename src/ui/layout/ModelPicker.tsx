import { presetModel, presets } from '../../presets';
import { rememberJson } from '../../state/model-json';
import { selectModelSource, useAppStore } from '../../state/store';

const SECTIONS = ['CIFAR-10 ResNets', 'Learn', 'Classic networks'] as const;
const SAVED_LABEL = { autosave: 'Autosaved', previous: 'Autosaved before' } as const;

/**
 * Opens a built-in model, or one kept in this browser (the autosave and the model it replaced);
 * shows "Your model" once the model is loaded from elsewhere, and "Edited: <its title>" once a
 * preset's title no longer holds (its description followed the edit or it was marked edited),
 * so the menu never names a preset whose text the model on screen has outgrown.
 */
export function ModelPicker() {
  const source = useAppStore(selectModelSource);
  const name = useAppStore((s) => s.model.name);
  const loadPreset = useAppStore((s) => s.loadPreset);
  const loadModel = useAppStore((s) => s.loadModel);
  const saved = useAppStore((s) => s.savedModels);
  const preset = source.startsWith('preset:') ? presets.find((p) => `preset:${p.id}` === source) : undefined;
  const current = preset
    ? presetName(preset.id) === name
      ? preset.id
      : ''
    : saved.some((m) => source === `saved:${m.slot}`)
      ? source
      : '';
  const choose = (value: string) => {
    const kept = saved.find((m) => value === `saved:${m.slot}`);
    if (kept) {
      rememberJson(kept.model, kept.text);
      loadModel(kept.model, value);
    } else if (value) loadPreset(value);
  };
  return (
    <label className="picker">
      <span>Model</span>
      <select value={current} onChange={(e) => choose(e.target.value)}>
        {current === '' && <option value="">{preset ? `Edited: ${shortName(name)}` : 'Your model'}</option>}
        {saved.length > 0 && (
          <optgroup label="Saved in this browser">
            {saved.map((m) => (
              <option key={m.slot} value={`saved:${m.slot}`}>
                {SAVED_LABEL[m.slot]}: {shortName(m.model.name)}
              </option>
            ))}
          </optgroup>
        )}
        {SECTIONS.map((section) => (
          <optgroup key={section} label={section}>
            {presets
              .filter((p) => p.section === section)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}

/** A model's name cut to fit the menu. */
function shortName(name: string): string {
  return name.length > 40 ? `${name.slice(0, 39)}…` : name;
}

const presetNames = new Map<string, string>();

/** The name a preset's model opens with (the menu's title may be longer), built once per preset. */
function presetName(id: string): string {
  let name = presetNames.get(id);
  if (name === undefined) {
    name = presetModel(id).name;
    presetNames.set(id, name);
  }
  return name;
}
