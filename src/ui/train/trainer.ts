import { appStore, selectAnalysis } from '../../state/store';
import { settingsFor, type TrainSettings } from '../../state/train-slice';
import { TrainerClient } from '../../train/client';
import { resolveArchiveUrl } from '../../train/data/download';
import type { FromWorker, WasmLayoutAsked } from '../../train/protocol';
import { download } from '../../viz/export-image';

/**
 * The one training worker of the page, shared by the Train panel and the embed API: its messages
 * go into the store (and to any listener, e.g. the host page).
 */
let client: TrainerClient | null = null;
const listeners = new Set<(message: FromWorker) => void>();
/** The CIFAR-10 archive the user chose (a Blob is handed to the worker without copying). */
let cifarFile: Blob | null = null;

function trainer(): TrainerClient {
  client ??= new TrainerClient((message) => {
    appStore.getState().runMessage(message);
    if (message.type === 'exported')
      for (const file of message.files)
        download(
          file.name,
          new Blob([file.data]),
          file.name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        );
    for (const listener of listeners) listener(message);
  });
  return client;
}

export function setCifarFile(file: Blob | null): void {
  cifarFile = file;
}

export function cifarFileName(): string | null {
  return cifarFile instanceof File ? cifarFile.name : cifarFile ? 'CIFAR-10 archive' : null;
}

/** Bytes a run may use: 40% of the device's memory where the browser says it (at most 2 GB), else 1.5 GB. */
export function memoryBudget(): number {
  const gigabytes = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  return gigabytes ? Math.min(2, gigabytes * 0.4) * 2 ** 30 : 1.5 * 2 ** 30;
}

/**
 * `?wasm=1x2` in the address: WASM's layout, workers × threads (benchmarks and tests compare
 * them); without it, what suits the machine (src/train/backend/wasm/threads.ts). Read as the
 * page loads; a value that does not read so is said and ignored.
 */
const WASM_LAYOUT = /^([1-9])x([1-9])$/;
let askedLayout: WasmLayoutAsked | undefined | null = null;
function wasmLayoutAsked(): WasmLayoutAsked | undefined {
  if (askedLayout !== null) return askedLayout;
  const value = new URLSearchParams(globalThis.location?.search ?? '').get('wasm');
  const match = value === null ? null : WASM_LAYOUT.exec(value);
  if (value !== null && !match)
    appStore
      .getState()
      .notify('error', `wasm=${value} in the address is not a WASM layout (workers×threads, e.g. 2x1): ignored.`);
  askedLayout = match ? { workers: Number(match[1]), threads: Number(match[2]) } : undefined;
  return askedLayout;
}

/**
 * `?stall=SECONDS` in the address: how long a CIFAR-10 download may go without data before it is
 * given up (tests shorten it); without it, 30 s. Read as the page loads, like `?wasm=`.
 */
let askedStall: number | undefined | null = null;
function stallAsked(): number | undefined {
  if (askedStall !== null) return askedStall;
  const value = new URLSearchParams(globalThis.location?.search ?? '').get('stall');
  const seconds = value === null || value.trim() === '' ? NaN : Number(value);
  const fits = seconds >= 0.1 && seconds <= 600;
  if (value !== null && !fits)
    appStore.getState().notify('error', `stall=${value} in the address is not a number of seconds (0.1–600): ignored.`);
  askedStall = fits ? Math.round(seconds * 1000) : undefined;
  return askedStall;
}

/** The app's own address: what a relative data address is resolved against. */
const appAddress = () => globalThis.location?.href ?? 'http://localhost/';

/**
 * The CIFAR-10 address a run downloads from: the settings' `url` resolved against the app's
 * address (`data/cifar-10-binary.tar.gz` is the copy beside the app), or why it can't be used.
 */
export function archiveAddress(url: string): ReturnType<typeof resolveArchiveUrl> {
  return resolveArchiveUrl(url, appAddress());
}

/** Starts a run of the model on screen with these settings (the form's, or a host's). */
export function startTraining(asked: TrainSettings): void {
  const state = appStore.getState();
  // The data set may follow the model (settingsFor), so the address is read from the result.
  const effective = settingsFor(asked, selectAnalysis(state));
  const address = effective.dataset === 'cifar10' && effective.url ? archiveAddress(effective.url) : null;
  const settings = address?.ok ? { ...effective, url: address.url } : effective;
  state.runStarted(settings, state.model.name);
  if (address && !address.ok) {
    state.runMessage({ type: 'error', message: address.error });
    return;
  }
  const { dataset, url, backend, recipe: _, datasetPicked: _picked, ...config } = settings;
  const wasm = wasmLayoutAsked();
  const stallMs = stallAsked();
  const download = url ? { url, ...(stallMs ? { stallMs } : {}) } : null;
  const data =
    dataset === 'cifar10' ? { dataset, ...(download ?? (cifarFile ? { file: cifarFile } : {})) } : { dataset };
  trainer().send({
    type: 'start',
    model: state.model,
    config,
    data,
    ...(backend ? { backend } : {}),
    memoryBudget: memoryBudget(),
    ...(wasm ? { wasm } : {}),
  });
}

export const pauseTraining = () => trainer().send({ type: 'pause' });
export const resumeTraining = () => trainer().send({ type: 'resume' });
export const stopTraining = () => trainer().send({ type: 'stop' });
export const inspectImage = (image: number) => trainer().send({ type: 'inspect', image });
export const exportTrainedModel = () => trainer().send({ type: 'export' });
export const saveWeights = (key: string) => trainer().send({ type: 'save', key });
export const loadWeights = (key: string) => trainer().send({ type: 'load', key, model: appStore.getState().model });

/** Listens to every worker message (the embed API forwards progress to the host). */
export function onTrainerMessage(listener: (message: FromWorker) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
