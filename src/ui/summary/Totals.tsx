import { countsExact } from '../../engine/analysis/analyze';
import { countIn, type FrameworkCount } from '../../engine/analysis/param-counts';
import { compact, formatBytes, formatCount } from '../../engine/shape/format';
import { selectAnalysis, selectNotation, useAppStore } from '../../state/store';

/**
 * The parameter stat as the notation's framework counts it (see `countIn`); "at least" when a
 * layer could not be analysed, so its weights are missing from the sum.
 */
function paramStat(count: FrameworkCount, complete: boolean) {
  const atLeast = complete ? '' : 'at least ';
  const missing = complete ? '' : '; layers that could not be analysed are not counted';
  if (count.notation === 'pytorch') {
    const frozen = count.parameters - count.trainable;
    const buffers = count.buffers > 0 ? `${formatCount(count.buffers)} in buffers (running mean/var)` : 'no buffers';
    return {
      label: 'Parameters',
      value: `${atLeast}${formatCount(count.parameters)}`,
      detail: frozen > 0 ? `${formatCount(frozen)} frozen · ${buffers}` : buffers,
      title: `sum(p.numel() for p in model.parameters()); batch-norm running_mean and running_var are buffers; frozen: requires_grad False${missing}`,
    };
  }
  return {
    label: 'Parameters',
    value: `${atLeast}${formatCount(count.total)}`,
    detail: `${formatCount(count.trainable)} trainable · ${formatCount(count.nonTrainable)} non-trainable`,
    title: `model.count_params(), as model.summary() splits it${missing}`,
  };
}

export function Totals() {
  const analysis = useAppStore(selectAnalysis);
  const notation = useAppStore(selectNotation);
  const { totals, layers } = analysis;
  const stats = [
    paramStat(countIn(totals, notation), totals.complete),
    {
      label: 'MACs per example',
      value: totals.macs === null ? '?' : compact(totals.macs),
      detail: totals.macs === null ? 'input size not fixed' : formatCount(totals.macs),
      title: undefined,
    },
    {
      label: 'Weights (float32)',
      value: `${totals.complete ? '' : 'at least '}${formatBytes(totals.params * 4)}`,
      detail: notation === 'pytorch' ? 'parameters and buffers' : 'all weights',
      title: undefined,
    },
    { label: 'Layers', value: String(layers.length), detail: 'top level', title: undefined },
  ];
  return (
    <>
      <dl className="totals" data-testid="totals">
        {stats.map((s) => (
          <div key={s.label} title={s.title}>
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
