import type { Analysis } from '../../engine/analysis/result';
import { formatCount } from '../../engine/shape/format';
import { countOf } from '../../engine/text/plural';
import { useAppStore, type AppState } from '../../state/store';
import type { TrainSettings } from '../../state/train-slice';
import { aboutDuration, imagesPerSecond, planRun, speedOf, TRAIN_IMAGES, type Speed } from '../../train/plan';

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
  const rate = `${formatCount(Math.max(1, Math.round(imagesPerSecond(t, batchSize))))} images/s`;
  if (t.source === 'measured') return `At about ${rate} (from the last run of this model)`;
  const macs =
    t.trainingMacs === null ? '' : `${formatCount(Math.round(t.trainingMacs / 1e6))} M MACs per image trained and `;
  return `At about ${rate} (estimated from ${macs}the parameters, on a slow machine; a run measures it)`;
}

/** How long the run asked for takes, and a smaller one that ends in about a minute. */
export function TrainPlan({ settings, analysis, disabled }: TrainPlanProps) {
  const measured = useAppStore(measuredSpeed);
  const measuredBatch = useAppStore((s) => s.run.settings?.batchSize ?? 0);
  const setSettings = useAppStore((s) => s.setTrainSettings);
  const speed = speedOf(analysis, measured ? { imagesPerSecond: measured, batchSize: measuredBatch } : null);
  if (!speed) return null;
  const available = TRAIN_IMAGES[settings.dataset];
  const samples = settings.maxTrainSamples;
  const plan = planRun({ epochs: settings.epochs, batchSize: settings.batchSize, samples, available }, speed);
  const perEpoch =
    samples === undefined || samples >= available ? `all ${formatCount(available)}` : formatCount(samples);
  const epochs = countOf(settings.epochs, 'epoch');
  const suggestion = plan.suggestion;
  return (
    <div className="train-field wide train-plan" aria-live="polite" data-testid="train-plan">
      <p className="field-doc">
        {speedText(speed, settings.batchSize)}, {epochs} of {perEpoch} training images take{' '}
        {aboutDuration(plan.seconds)}
        {samples !== undefined && samples < available
          ? `; all ${formatCount(available)} would take ${aboutDuration(plan.fullSeconds)}.`
          : '.'}
      </p>
      {suggestion && (
        <p className="field-doc">
          For a first look, {formatCount(suggestion.samples)} images an epoch in batches of{' '}
          {formatCount(suggestion.batchSize)} end in {aboutDuration(suggestion.seconds)}.{' '}
          <button
            type="button"
            className="link"
            disabled={disabled}
            onClick={() => setSettings({ maxTrainSamples: suggestion.samples, batchSize: suggestion.batchSize })}
          >
            Use {formatCount(suggestion.samples)} images, batch {formatCount(suggestion.batchSize)}
          </button>
        </p>
      )}
    </div>
  );
}
