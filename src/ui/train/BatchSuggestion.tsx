import { useMemo } from 'react';
import type { Analysis } from '../../engine/analysis/result';
import { formatBytes, formatCount } from '../../engine/shape/format';
import { useAppStore } from '../../state/store';
import type { TrainSettings } from '../../state/train-slice';
import { scaledLearningRate, suggestBatchSize, type BatchSuggestion as Suggestion } from '../../train/batch-size';
import { DEFAULT_CONFIG } from '../../train/loop/config';
import { ADAM_LEARNING_RATE, hasBatchNorm } from '../../train/run-checks';
import { useGpuLimits } from './gpu-limits';
import { memoryBudget } from './trainer';

interface BatchSuggestionProps {
  readonly settings: TrainSettings;
  readonly analysis: Analysis;
  readonly disabled: boolean;
}

/** Below it, batch norm's per-batch statistics are noisy (Wu & He 2018, "Group Normalization", fig. 1). */
const SMALL_FOR_BATCH_NORM = 16;

const TENSOR = { patches: 'patch matrix (im2col)', output: 'output', input: 'input' } as const;

/** Why the suggestion stops where it does, in one sentence. */
function boundText(s: Extract<Suggestion, { ok: true }>): string {
  switch (s.bound) {
    case 'binding':
      return `The largest tensor, ${s.largest.layer}'s ${TENSOR[s.largest.kind]}, takes ${formatBytes(s.largest.bytes)} per example; this GPU binds up to ${formatBytes(s.perTensor)} per buffer.`;
    case 'memory':
      return `A step takes ${formatBytes(s.perExample)} per example plus ${formatBytes(s.fixed)} for weights and optimizer; this tab allows ${formatBytes(s.budget)} (WebGPU hides the GPU's memory: 40% of the device's, at most 2 GB).`;
    case 'cap':
      return `${s.batchSize} is the most suggested here: larger batches leave few steps an epoch.`;
  }
}

/**
 * The largest batch a WebGPU run of this model fits (src/train/batch-size.ts) with the learning
 * rate scaled for it, why, and a button that uses both. Shown once the adapter answered; not for
 * a run on another backend, nor where there is no WebGPU.
 */
export function BatchSuggestion({ settings, analysis, disabled }: BatchSuggestionProps) {
  const gpu = useGpuLimits();
  const setSettings = useAppStore((s) => s.setTrainSettings);
  const { optimizer } = settings;
  const suggestion = useMemo(
    () => (gpu && analysis.ok ? suggestBatchSize(analysis, { ...gpu, budget: memoryBudget() }, optimizer) : null),
    [gpu, analysis, optimizer],
  );
  if (!suggestion || (settings.backend && settings.backend !== 'webgpu')) return null;
  if (!suggestion.ok)
    return suggestion.why ? (
      <p className="train-field wide field-doc batch-suggestion" data-testid="batch-suggestion">
        No batch fits WebGPU here: {suggestion.why}.
      </p>
    ) : null;
  // The recipe's rate for this optimizer, tuned at the recipe's batch: not the form's, which may
  // already be scaled (or typed for another batch).
  const base = {
    rate: optimizer === 'adam' ? ADAM_LEARNING_RATE : DEFAULT_CONFIG.learningRate,
    batch: DEFAULT_CONFIG.batchSize,
  };
  const { batchSize } = suggestion;
  const rate = scaledLearningRate(base.rate, base.batch, batchSize, optimizer);
  const using = settings.batchSize === batchSize && settings.learningRate === rate;
  const scaling = optimizer === 'adam' ? 'by the square root of the batch' : 'linearly with the batch';
  return (
    <div className="train-field wide batch-suggestion" aria-live="polite" data-testid="batch-suggestion">
      <p>
        <span>
          {using ? 'Using the batch suggested for WebGPU: ' : 'Suggested for WebGPU: batch '}
          <strong>{formatCount(batchSize)}</strong>, learning rate <strong>{rate}</strong>.
        </span>{' '}
        {!using && (
          <button
            type="button"
            disabled={disabled}
            onClick={() =>
              // A new learning rate makes the recipe one's own; the same one leaves it suggested.
              setSettings(
                rate === settings.learningRate
                  ? { batchSize }
                  : { ...settings, batchSize, learningRate: rate, recipe: 'custom' },
              )
            }
          >
            Use {formatCount(batchSize)}
          </button>
        )}
      </p>
      <p className="field-doc">
        {boundText(suggestion)} The recipe's learning rate, {base.rate} at batch {base.batch}, scaled {scaling}.
        {batchSize < SMALL_FOR_BATCH_NORM &&
          hasBatchNorm(analysis.layers) &&
          ` Batch norm's statistics are noisy at ${batchSize === 1 ? 'one example' : 'so few examples'} a batch: this model is large for a tab.`}
      </p>
    </div>
  );
}
