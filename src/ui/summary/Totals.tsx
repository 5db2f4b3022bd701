import { countsExact } from '../../engine/analysis/analyze';
import { compact, formatBytes, formatCount } from '../../engine/shape/format';
import { selectAnalysis, useAppStore } from '../../state/store';

export function Totals() {
  const analysis = useAppStore(selectAnalysis);
  const { totals, layers } = analysis;
  const stats = [
    {
      label: 'Parameters',
      value: formatCount(totals.params),
      detail: `${formatCount(totals.trainableParams)} trainable`,
    },
    {
      label: 'MACs per example',
      value: totals.macs === null ? '?' : compact(totals.macs),
      detail: totals.macs === null ? 'input size not fixed' : formatCount(totals.macs),
    },
    {
      label: 'Weights (float32)',
      value: formatBytes(totals.params * 4),
      detail: `${formatCount(totals.nonTrainableParams)} non-trainable`,
    },
    { label: 'Layers', value: String(layers.length), detail: 'top level' },
  ];
  return (
    <>
      <dl className="totals">
        {stats.map((s) => (
          <div key={s.label}>
            <dt>{s.label}</dt>
            <dd>
              <strong>{s.value}</strong>
              <span>{s.detail}</span>
            </dd>
          </div>
        ))}
      </dl>
      {countsExact(analysis) ? null : (
        <p className="muted totals-note">
          ≈ marks counts past 2<sup>53</sup>: numbers that large are rounded, so only their first digits are exact.
        </p>
      )}
    </>
  );
}
