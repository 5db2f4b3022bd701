import type { Notation } from '../../engine/notation';
import { selectNotation, useAppStore } from '../../state/store';

const OPTIONS: { value: Notation; label: string; hint: string }[] = [
  { value: 'pytorch', label: 'PyTorch', hint: 'N×C×H×W, kernels out×in×kH×kW' },
  { value: 'keras', label: 'Keras', hint: 'N×H×W×C, kernels kH×kW×in×out' },
];

export function NotationSwitch() {
  const notation = useAppStore(selectNotation);
  const setNotation = useAppStore((s) => s.setNotation);
  return (
    <fieldset className="segmented">
      <legend>Notation</legend>
      {OPTIONS.map((o) => (
        <label key={o.value} title={o.hint}>
          <input
            type="radio"
            name="notation"
            value={o.value}
            checked={notation === o.value}
            onChange={() => setNotation(o.value)}
          />
          <span>
            {o.label} <small>{o.hint}</small>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
