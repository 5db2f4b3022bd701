import { presets } from '../../presets';
import { selectModelSource, useAppStore } from '../../state/store';

const SECTIONS = ['CIFAR-10 ResNets', 'Learn', 'Classic networks'] as const;

/** Opens a built-in model; shows "Your model" once the model is edited or loaded from elsewhere. */
export function ModelPicker() {
  const source = useAppStore(selectModelSource);
  const loadPreset = useAppStore((s) => s.loadPreset);
  const current = source.startsWith('preset:') ? source.slice('preset:'.length) : '';
  return (
    <label className="picker">
      <span>Model</span>
      <select value={current} onChange={(e) => e.target.value && loadPreset(e.target.value)}>
        {current === '' && <option value="">Your model</option>}
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
