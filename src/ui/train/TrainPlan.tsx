import type { Analysis } from '../../engine/analysis/result';
import { formatCount } from '../../engine/shape/format';
import { countOf } from '../../engine/text/plural';
import { useAppStore, type AppState } from '../../state/store';
import type { TrainSettings } from '../../state/train-slice';
import { batchLimit, scaledLearningRate } from '../../train/batch-size';
import { aboutDuration, imagesPerSecond, planRun, speedOf, TRAIN_IMAGES, type Speed } from '../../train/plan';
import { useGpuLimits } from './gpu-limits';
import { memoryBudget } from './trainer';

interface TrainPlanProps {
  readonly settings: TrainSettings;
  readonly analysis: Analysis;
  readonly disabled: boolean;
}

/**
 * Images/s of the last run of this model (by name) once it has stopped, for the plan; null
 * before one or during one (the number settles only as the epoch goes on).
 */
function measuredSpeed(s: AppState): number | null {
  const run = s.run;
  if (run.modelName !== s.model.name || run.restored || !run.settings) return null;
  if (run.status === 'starting' || run.status === 'running' || run.status === 'paused') return null;
  return run.epochs.at(-1)?.imagesPerSecond ?? run.last?.imagesPerSecond ?? null;
}

/** "At about 28 images/s (estimated from …)": the speed the plan uses, and where it comes from. */
function speedText(t: Speed, batchSize: number): string {
  const rate = `${countOf(Math.max(1, Math.round(imagesPerSecond(t, batchSize))), 'image')}/s`;
  if (t.source === 'measured') return `At about ${rate} (from the last run of this model)`;
  const macs =
    t.trainingMacs === null ? '' : `${formatCount(Math.round(t.trainingMacs / 1e6))} M MACs per image trained and `;
  return `At about ${rate} (estimated from ${macs}the parameters, on a slow machine; a run measures it)`;
}

/**
 * How long the run asked for takes, and a smaller one that ends in about a minute, in a batch the
 * run may use here (batchLimit: this tab's memory budget, and WebGPU's buffers where a run takes
 * WebGPU, as the batch suggestion), so its button never sets a run the worker refuses.
 */
export function TrainPlan({ settings, analysis, disabled }: TrainPlanProps) {
  const measured = useAppStore(measuredSpeed);
  const measuredBatch = useAppStore((s) => s.run.settings?.batchSize ?? 0);
  const setSettings = useAppStore((s) => s.setTrainSettings);
  const gpu = useGpuLimits();
  const speed = speedOf(analysis, measured ? { imagesPerSecond: measured, batchSize: measuredBatch } : null);
  if (!speed) return null;
  const available = TRAIN_IMAGES[settings.dataset];
  const samples = settings.maxTrainSamples;
  const onGpu = !settings.backend || settings.backend === 'webgpu';
  // What the worker checks (memory), and within it what WebGPU's buffers allow.
  const byMemory = batchLimit(analysis, settings.optimizer, memoryBudget(), null);
  const maxBatch = onGpu && gpu ? batchLimit(analysis, settings.optimizer, memoryBudget(), gpu) : byMemory;
  const plan = planRun({ epochs: settings.epochs, batchSize: settings.batchSize, samples, available, maxBatch }, speed);
  const perEpoch =
    samples === undefined || samples >= available ? `all ${formatCount(available)}` : formatCount(samples);
  const epochs = countOf(settings.epochs, 'epoch');
  const suggestion = plan.suggestion;
  const rate =
    suggestion && suggestion.batchSize !== settings.batchSize
      ? scaledLearningRate(settings.learningRate, settings.batchSize, suggestion.batchSize, settings.optimizer)
      : settings.learningRate;
  return (
    <div className="train-field wide train-plan" aria-live="polite" data-testid="train-plan">
      <p className="field-doc">
        {speedText(speed, settings.batchSize)}, {epochs} of {perEpoch} training images take{' '}
        {aboutDuration(plan.seconds)}
        {samples !== undefined && samples < available
          ? `; all ${formatCount(available)} would take ${aboutDuration(plan.fullSeconds)}.`
          : '.'}
      </p>
      {byMemory === 0 && (
        <p className="field-doc">Not even one image a step fits this tab's memory: a run of this model is refused.</p>
      )}
      {suggestion && (
        <p className="field-doc">
          {maxBatch !== null &&
            settings.batchSize > maxBatch &&
            `A batch of ${formatCount(settings.batchSize)} is more than this model may train with here (at most ${formatCount(maxBatch)}). `}
          For a first look, {countOf(suggestion.samples, 'image')} an epoch in batches of{' '}
          {formatCount(suggestion.batchSize)} {suggestion.samples === 1 ? 'ends' : 'end'} in{' '}
          {aboutDuration(suggestion.seconds)}.{' '}
          <button
            type="button"
            className="link"
            disabled={disabled}
            onClick={() =>
              // A new batch takes the learning rate along (the batch suggestion's rule), so a batch
              // of 1 does not keep a rate tuned for 64; a new rate makes the recipe one's own.
              setSettings(
                rate === settings.learningRate
                  ? { maxTrainSamples: suggestion.samples, batchSize: suggestion.batchSize }
                  : {
                      maxTrainSamples: suggestion.samples,
                      batchSize: suggestion.batchSize,
                      learningRate: rate,
                      recipe: 'custom',
                    },
              )
            }
          >
            Use {countOf(suggestion.samples, 'image')}, batch {formatCount(suggestion.batchSize)}
            {rate !== settings.learningRate && `, learning rate ${rate}`}
          </button>
        </p>
      )}
    </div>
  );
}
