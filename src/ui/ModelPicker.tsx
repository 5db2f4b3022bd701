import { presets } from '../presets';
import { selectModelSource, useAppStore } from '../state/store';

export function ModelPicker() {
  const source = useAppStore(selectModelSource);
  const loadPreset = useAppStore((s) => s.loadPreset);
  return (
    <label className="picker">
      <span>Model</span>
      <select value={source} onChange={(e) => loadPreset(e.target.value)}>
        {presets.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </select>
    </label>
  );
}
