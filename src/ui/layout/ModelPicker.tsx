import { presets } from '../../presets';
import { rememberJson } from '../../state/model-json';
import { selectModelSource, useAppStore } from '../../state/store';

const SECTIONS = ['CIFAR-10 ResNets', 'Learn', 'Classic networks'] as const;
const SAVED_LABEL = { autosave: 'Autosaved', previous: 'Autosaved before' } as const;

/**
 * Opens a built-in model, or one kept in this browser (the autosave and the model it replaced);
 * shows "Your model" once the model is edited or loaded from elsewhere.
 */
export function ModelPicker() {
  const source = useAppStore(selectModelSource);
  const loadPreset = useAppStore((s) => s.loadPreset);
  const loadModel = useAppStore((s) => s.loadModel);
  const saved = useAppStore((s) => s.savedModels);
  const current = source.startsWith('preset:')
    ? source.slice('preset:'.length)
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
        {current === '' && <option value="">Your model</option>}
        {saved.length > 0 && (
          <optgroup label="Saved in this browser">
            {saved.map((m) => (
              <option key={m.slot} value={`saved:${m.slot}`}>
                {SAVED_LABEL[m.slot]}: {m.model.name.length > 40 ? `${m.model.name.slice(0, 39)}…` : m.model.name}
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
