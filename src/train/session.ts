import * as tf from '@tensorflow/tfjs';
import { analyzeModel } from '../engine/analysis/analyze';
import type { Analysis } from '../engine/analysis/result';
import { disposeConstants } from './backend/webgpu/constants';
import { memoryRefusal, stepBytes, stepMemory } from './batch-size';
import { DEFAULT_CONFIG } from './loop/config';
import { nextTask } from './loop/next-task';
import { DivergedError } from './loop/diverged';
import { inputShape as exampleShape, train, type Batcher, type TrainResult } from './loop/train';
import {
  BACKEND_LABELS,
  type BackendAttempt,
  type BackendName,
  type DataSource,
  type FromWorker,
  type Phase,
  type ToWorker,
  type WasmLayoutAsked,
} from './protocol';
import type { DataProgress, LoadDataOptions } from './load-data';
import { helpersForRun, type StartHelpers } from './parallel/start';
import {
  classesOf,
  endsInSoftmax,
  fitProblem,
  inputShapeOf,
  openInput,
  rankProblem,
  volumeProblem,
  withInputShape,
} from './run-checks';
import { firstFilters, samplesOf } from './results';
import type { Dataset, Mismatch } from './types';

/** What a session needs from the rest of src/train (the worker passes the real ones; tests may pass others). */
export interface Toolkit {
  chooseBackend(
    preferred?: BackendName,
    wasm?: WasmLayoutAsked,
  ): Promise<{ name: BackendName; tried: readonly BackendAttempt[] }>;
  loadData(
    source: DataSource,
    need: { readonly shape: readonly (number | null)[]; readonly classes: number },
    progress: (report: DataProgress) => void,
    options: LoadDataOptions,
  ): Promise<Dataset>;
  buildModel(
    analysis: Analysis,
    options: { readonly inputShape?: readonly number[]; readonly seed?: number },
  ): { ok: true; model: tf.LayersModel; mismatches: Mismatch[] } | { ok: false; error: string; layer?: string };
  batcher(data: Dataset, seed?: number): Batcher;
  /** Starts helper workers for data-parallel steps (none where absent: Node, tests). */
  startHelpers?: StartHelpers;
}

export type { RunHelpers } from './parallel/start';

/**
 * One worker's training session: the current run (start, pause, resume; stop ends a download at
 * once, training within one step) and the model it trained (feature maps, export, save). Posts
 * FromWorker messages.
 */
export class Session {
  private paused = false;
  private stopping = false;
  /** The current run's: a stop aborts what it waits for (a download) before training starts. */
  private abort: AbortController | null = null;
  private phase: Phase = 'backend';
  private wake: (() => void) | null = null;
  private model: tf.LayersModel | null = null;
  private data: Dataset | null = null;
  private running = false;
  /** The engine's layer names of the model trained (the tfjs model adds helpers of its own). */
  private names = new Set<string>();

  constructor(
    private readonly post: (message: FromWorker, transfer?: Transferable[]) => void,
    private readonly toolkit: Toolkit,
  ) {}

  async handle(message: ToWorker): Promise<void> {
    try {
      switch (message.type) {
        case 'start':
          return await this.start(message);
        case 'pause':
          this.paused = true;
          return this.post({ type: 'paused', paused: true });
        case 'resume':
          this.paused = false;
          this.wake?.();
          return this.post({ type: 'paused', paused: false });
        case 'stop':
          this.stopping = true;
          this.paused = false;
          this.abort?.abort(new DOMException('Stopped', 'AbortError'));
          this.wake?.();
          return;
        case 'inspect':
          return this.inspect(message.image);
        case 'export':
          return await this.exportModel();
        case 'save':
          return await this.save(message.key);
        case 'load':
          return await this.load(message.key, message.model);
      }
    } catch (e) {
      this.running = false;
      // A user's mistake or a data set that can't be read is said in the panel; only a bug is logged.
      if (!(e instanceof UserError) && !(e instanceof DivergedError) && !isDatasetError(e)) console.error(e);
      this.post({ type: 'error', message: userMessage(e) });
    }
  }

  private async start(message: Extract<ToWorker, { type: 'start' }>): Promise<void> {
    if (this.running) {
      this.post({ type: 'error', message: 'A run is already going: stop it first.' });
      return;
    }
    this.running = true;
    this.stopping = false;
    this.paused = false;
    const abort = new AbortController();
    this.abort = abort;
    try {
      await this.run(message, abort.signal);
    } catch (error) {
      if (!abort.signal.aborted || error !== abort.signal.reason) throw error;
      const what = this.phase === 'data' && message.data.url ? 'the download' : 'before training';
      this.post({ type: 'stopped', detail: `Stopped ${what}: nothing was trained.` });
    } finally {
      this.running = false;
      this.abort = null;
    }
  }

  private setPhase(message: Extract<FromWorker, { type: 'phase' }>): void {
    this.phase = message.phase;
    this.post(message);
  }

  private async run(
    { model: spec, config: partial, data: source, backend, memoryBudget, wasm }: Extract<ToWorker, { type: 'start' }>,
    signal: AbortSignal,
  ) {
    const config = { ...DEFAULT_CONFIG, ...partial };
    let analysis = analyzeModel(spec);
    const volume = volumeProblem(analysis);
    if (volume) throw new UserError(volume);
    const classes = classesOf(analysis);
    if (typeof classes === 'string') throw new UserError(classes);
    if (!analysis.ok) throw new UserError('The model has errors: fix them in the layer list before training.');
    const unreadable = rankProblem(analysis);
    if (unreadable) throw new UserError(unreadable);

    this.setPhase({ type: 'phase', phase: 'backend', detail: 'Choosing a backend…' });
    const chosen = await this.toolkit.chooseBackend(backend, wasm);
    this.post({ type: 'backend', name: chosen.name, tried: chosen.tried });
    signal.throwIfAborted();

    this.setPhase({ type: 'phase', phase: 'data', detail: 'Loading the data set…', progress: 0 });
    const need = { shape: inputShapeOf(analysis) ?? [], classes };
    const { stallMs } = source;
    const data = await this.toolkit.loadData(
      source,
      need,
      (report) => this.post({ type: 'phase', phase: 'data', ...report }),
      { signal, ...(stallMs ? { stallMs } : {}) },
    );
    signal.throwIfAborted();
    const problem = fitProblem(analysis, data);
    if (problem) throw new UserError(problem);
    const inputShape = openInput(analysis, data);
    if (inputShape) analysis = analyzeModel(withInputShape(spec, inputShape));

    const memory = stepMemory(analysis, config.optimizer);
    const refusal = memory && memoryRefusal(memory, config.batchSize, memoryBudget);
    if (refusal) throw new UserError(refusal);

    this.setPhase({ type: 'phase', phase: 'model', detail: 'Building the model…' });
    // Seeded: the same settings start from the same weights on every backend.
    const built = this.toolkit.buildModel(analysis, { ...(inputShape ? { inputShape } : {}), seed: config.seed });
    if (!built.ok) throw new UserError(built.layer ? `${built.layer}: ${built.error}` : built.error);
    this.model?.dispose();
    this.model = built.model;
    this.data = data;
    this.names = new Set(analysis.layers.map((l) => l.name));
    this.post({
      type: 'model',
      params: built.model.countParams(),
      mismatches: built.mismatches,
      memory: memory ? stepBytes(memory, config.batchSize) : null,
      classes: data.classes,
      dataset: data.name,
    });

    // From here to the first step's end: helper workers' start included.
    const started = performance.now();
    const init = {
      model: inputShape ? withInputShape(spec, inputShape) : spec,
      shape: exampleShape(built.model, data),
      ...(inputShape ? { inputShape } : {}),
      labelSmoothing: config.labelSmoothing,
      probabilities: endsInSoftmax(analysis),
    };
    const helpers = await helpersForRun(chosen, config.batchSize, init, this.toolkit.startHelpers, this.post);
    this.setPhase({ type: 'phase', phase: 'training', detail: 'Training…' });
    let first = true;
    const training = train(
      built.model,
      data,
      config,
      this.toolkit.batcher(data, config.seed),
      {
        // The loop reports at most every REPORT_MS (loop/progress.ts), each report one readback.
        onStep: (report) => {
          const now = performance.now();
          this.post({ type: 'step', ...report, ...(first ? { firstStepSeconds: (now - started) / 1000 } : {}) });
          first = false;
        },
        onEpoch: (report) => this.post({ type: 'epoch', ...report }),
        proceed: () => this.proceed(),
      },
      endsInSoftmax(analysis),
      helpers ?? undefined,
    );
    // A backend can start and pass the smoke test yet fail on this model (a shader its GPU
    // cannot compile, say): say where, and what to do.
    const result = await training
      .catch((e: unknown) => {
        if (e instanceof UserError || e instanceof DivergedError || chosen.name === 'cpu') throw e;
        const why = e instanceof Error ? e.message : String(e);
        throw new UserError(
          `Training failed on ${BACKEND_LABELS[chosen.name]}: ${why.replace(/\.$/, '')}. Choose another backend in the form: WASM and CPU work everywhere.`,
        );
      })
      .finally(() => {
        helpers?.terminate();
        // The run's cached GPU scalars: the next use (another run, feature maps) makes them again.
        disposeConstants();
      });
    this.post(await this.summary(result, chosen.name, built.model, data));
  }

  /** Each engine layer's output for one test image: its first channels, for the feature-map view. */
  private inspect(image: number): void {
    const { model, data, names } = this.trained();
    if (image < 0 || image >= data.test.count) throw new UserError(`There is no test image ${image}.`);
    const layers = model.layers.filter((l) => names.has(l.name) && l.getClassName() !== 'InputLayer');
    const size = data.shape[0] * data.shape[1] * data.shape[2];
    const pixels = data.test.images.slice(image * size, (image + 1) * size);
    const batch = this.toolkit.batcher(data)(data.test, [image], false);
    const maps = tf.tidy(() => {
      const probe = tf.model({ inputs: model.inputs, outputs: layers.map((l) => l.output as tf.SymbolicTensor) });
      const outputs = [probe.predict(tf.tensor(batch.x, [1, ...exampleShape(model, data)]))].flat() as tf.Tensor[];
      return outputs.map((out, i) => {
        const shape = out.shape.slice(1);
        const channels = shape.length > 1 ? (shape[shape.length - 1] as number) : 1;
        const planes = Array.from({ length: Math.min(8, channels) }, (_, c) =>
          shape.length > 1
            ? (out.gather([c], out.rank - 1).dataSync() as Float32Array)
            : (out.dataSync() as Float32Array),
        );
        return { layer: (layers[i] as tf.layers.Layer).name, shape, channels: planes.map((p) => new Float32Array(p)) };
      });
    });
    this.post({ type: 'features', image, maps, pixels });
  }

  /** The trained model in TensorFlow.js' format: model.json and weights.bin. */
  private async exportModel(): Promise<void> {
    const { model } = this.trained();
    const files: { name: string; data: ArrayBuffer | string }[] = [];
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const manifest = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }];
        files.push({
          name: 'model.json',
          data: JSON.stringify({
            format: 'layers-model',
            modelTopology: artifacts.modelTopology,
            weightsManifest: manifest,
          }),
        });
        const weights = artifacts.weightData;
        files.push({ name: 'weights.bin', data: weights instanceof ArrayBuffer ? weights : new ArrayBuffer(0) });
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    this.post({ type: 'exported', files });
  }

  /** Keeps the trained weights in the browser (IndexedDB) under `key`. */
  private async save(key: string): Promise<void> {
    const { model } = this.trained();
    await model.save(`indexeddb://convscope-${key}`);
    this.post({ type: 'saved', key, loaded: false });
  }

  /** Builds `spec` and puts the weights saved under `key` into it. */
  private async load(key: string, spec: Parameters<typeof analyzeModel>[0]): Promise<void> {
    const saved = await tf.loadLayersModel(`indexeddb://convscope-${key}`);
    const built = this.toolkit.buildModel(analyzeModel(spec), {});
    if (!built.ok) throw new UserError(built.error);
    try {
      built.model.setWeights(saved.getWeights());
    } catch {
      throw new UserError('The saved weights do not fit this model: it has changed since they were saved.');
    } finally {
      saved.dispose();
    }
    this.model?.dispose();
    this.model = built.model;
    this.post({ type: 'saved', key, loaded: true });
  }

  private trained(): { model: tf.LayersModel; data: Dataset; names: Set<string> } {
    if (!this.model || !this.data) throw new UserError('Train a model first.');
    return { model: this.model, data: this.data, names: this.names };
  }

  /**
   * Waits while paused; 'stop' once a stop was asked for. Yields to the message loop every step
   * (a new task, so a pause or stop posted meanwhile is handled first).
   */
  private async proceed(): Promise<'go' | 'stop'> {
    await nextTask();
    while (this.paused && !this.stopping) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
    return this.stopping ? 'stop' : 'go';
  }

  private async summary(
    result: TrainResult,
    backend: BackendName,
    model: tf.LayersModel,
    data: Dataset,
  ): Promise<FromWorker> {
    const evaluation = result.evaluation;
    return {
      type: 'done',
      stopped: result.stopped,
      testAccuracy: evaluation?.accuracy ?? null,
      confusion: evaluation?.confusion ?? null,
      seconds: result.seconds,
      imagesPerSecond: result.imagesPerSecond,
      backend,
      samples: evaluation ? samplesOf(data, evaluation.predicted, evaluation.confidence) : null,
      filters: await firstFilters(model),
    };
  }
}

/** A message meant for the user (not a programming error). */
export class UserError extends Error {}

function userMessage(e: unknown): string {
  if (e instanceof UserError || e instanceof DivergedError) return e.message;
  const text = e instanceof Error ? e.message : String(e);
  // Data-set errors carry their own clear messages; anything else is said plainly, without a stack.
  return isDatasetError(e) ? text : `Training failed: ${text}`;
}

const isDatasetError = (e: unknown) => (e as { name?: string } | null)?.name === 'DatasetError';
