import { compact, formatCount } from '../../engine/shape/format';
import { selectAnalysis, useAppStore } from '../../state/store';

export function Totals() {
  const { totals, layers } = useAppStore(selectAnalysis);
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
      value: `${((totals.params * 4) / 2 ** 20).toFixed(2)} MB`,
      detail: `${formatCount(totals.nonTrainableParams)} non-trainable`,
    },
    { label: 'Layers', value: String(layers.length), detail: 'top level' },
  ];
  return (
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
  );
}
