import * as tf from '@tensorflow/tfjs';
import type { BackendAttempt, BackendName, WasmLayoutAsked } from '../protocol';
import { cpuReference, smokeTest } from './smoke';
import { prepareWasm, type Around } from './wasm/start';
import { wasmLayout } from './wasm/threads';

/**
 * Picks the TensorFlow.js backend a run trains on: the user's choice first, then WebGPU, WebGL,
 * WASM and CPU, each started and then made to pass the smoke test (smoke.ts) against the CPU
 * backend's numbers, so a backend that starts but computes wrongly is refused with the reason.
 *
 * In a Web Worker: WebGPU works where the browser exposes `navigator.gpu` to workers (Chrome
 * does); WebGL needs `OffscreenCanvas` (Chrome, Edge, Firefox ≥ 105, Safari ≥ 17), and without
 * it is refused with that reason; WASM and CPU always work. WASM runs on several workers, with
 * threads in each where the page is cross-origin isolated (wasm/threads.ts).
 */

export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** A backend that has not started by then is refused (a hung driver or WASM fetch). */
export const START_TIMEOUT_MS = 20_000;

export interface BackendChoice {
  /** The backend now active (tf.getBackend()). */
  readonly name: BackendName;
  /** Every backend tried, in order, with why each refused one was refused. */
  readonly tried: BackendAttempt[];
}

interface AdapterInfo {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}
interface Adapter {
  readonly info?: AdapterInfo;
  readonly isFallbackAdapter?: boolean;
}
type Gpu = { requestAdapter(): Promise<Adapter | null> };

/**
 * Software renderers (SwiftShader, Mesa's llvmpipe/lavapipe/softpipe, Windows' Basic Render
 * Driver): Chrome falls back to SwiftShader for WebGL when the GPU is blocklisted. They compute
 * correctly but train ResNet-20 at 1–2 images/s where WASM does about 60, so a run that lets
 * ConvScope choose passes them by, saying so; picking the backend in the form still uses them.
 */
export const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|basic render/i;

const softwareReason = (api: string, renderer: string) =>
  `only a software renderer here (${renderer}), much slower than WASM; pick ${api} in the form to use it anyway`;

/** The WebGL renderer's name, as the driver reports it (null where it cannot be read). */
function webglRenderer(): string | null {
  try {
    const canvas =
      typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
    const gl = canvas.getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return null;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

/** A backend ready to start: what to say beside "works", and how to wrap tf.setBackend. */
interface Prepared {
  readonly how?: { readonly note: string; readonly workers: number; readonly threads: number };
  readonly around?: Around;
}
const READY: Prepared = {};

/**
 * Loads and configures `name` where needed; returns why it cannot run here, or how to start it.
 * `chosen`: the user asked for this backend (a software renderer is then used, not passed by).
 */
async function prepare(name: BackendName, chosen: boolean, asked?: WasmLayoutAsked): Promise<string | Prepared> {
  switch (name) {
    case 'webgpu': {
      const gpu = (globalThis.navigator as { gpu?: Gpu } | undefined)?.gpu;
      if (!gpu) return 'this browser offers no WebGPU here (navigator.gpu is missing)';
      const adapter = await gpu.requestAdapter();
      if (!adapter) return 'WebGPU gives no adapter (no usable GPU, or it is blocked)';
      const info = adapter.info ?? {};
      const described = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
      if (!chosen && (info.isFallbackAdapter || adapter.isFallbackAdapter || SOFTWARE_RENDERER.test(described)))
        return softwareReason('WebGPU', described || 'a fallback adapter');
      await import('@tensorflow/tfjs-backend-webgpu');
      const { registerWebGpuTrainingKernels } = await import('./webgpu/kernels');
      registerWebGpuTrainingKernels();
      return READY;
    }
    case 'webgl': {
      if (!tf.findBackendFactory('webgl')) return 'WebGL is not available outside a browser';
      const inWorker = typeof document === 'undefined';
      if (inWorker && typeof OffscreenCanvas === 'undefined')
        return 'this browser has no OffscreenCanvas, which WebGL needs inside a Web Worker';
      if (tf.env().getNumber('WEBGL_VERSION') === 0) return 'no WebGL context could be created';
      const renderer = chosen ? null : webglRenderer();
      if (renderer && SOFTWARE_RENDERER.test(renderer)) return softwareReason('WebGL', renderer);
      return READY;
    }
    case 'wasm': {
      // The browser's layout (in Node: one worker, one thread; Node has no tfjs threads).
      if (!tf.env().getBool('IS_BROWSER')) {
        await prepareWasm(1);
        return READY;
      }
      const { workers, threads, note } = wasmLayout(asked);
      return { how: { note, workers, threads }, around: await prepareWasm(threads) };
    }
    case 'cpu':
      return READY;
  }
}

/** tf.setBackend, with tfjs' own warnings kept as the reason it failed, and a time limit. */
async function start(name: BackendName, around: Prepared['around']): Promise<string | null> {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), START_TIMEOUT_MS)),
    );
    const set = () => tf.setBackend(name);
    const started = await Promise.race([around ? around(set) : set(), timeout]);
    if (started === 'timeout') return `did not start within ${START_TIMEOUT_MS / 1000} s`;
    if (!started) return `failed to start${warnings.length ? `: ${warnings.slice(-1)[0]?.split('\n')[0]}` : ''}`;
    return null;
  } catch (e) {
    return `failed to start: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    clearTimeout(timer);
    console.warn = warn;
  }
}

async function attempt(
  name: BackendName,
  expected: Float32Array[],
  chosen: boolean,
  asked?: WasmLayoutAsked,
): Promise<BackendAttempt> {
  let reason: string | null;
  let how: Prepared['how'] = undefined;
  try {
    const prepared = await prepare(name, chosen, asked);
    if (typeof prepared === 'string') reason = prepared;
    else {
      how = prepared.how;
      reason = (await start(name, prepared.around)) ?? (await smokeTest(expected));
    }
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
  }
  return reason ? { name, ok: false, reason } : { name, ok: true, ...how };
}

/**
 * Makes the first backend that starts and passes the smoke test the active one: `preferred`
 * first when given, then BACKEND_ORDER, passing by software renderers that were not asked for.
 * The CPU backend always passes, so a choice is made. `wasm`: the WASM layout asked for, if any.
 */
export async function chooseBackend(preferred?: BackendName, wasm?: WasmLayoutAsked): Promise<BackendChoice> {
  const order = preferred ? [preferred, ...BACKEND_ORDER.filter((b) => b !== preferred)] : BACKEND_ORDER;
  const expected = await cpuReference();
  const tried: BackendAttempt[] = [];
  for (const name of order) {
    const result = await attempt(name, expected, name === preferred, wasm);
    tried.push(result);
    if (result.ok) return { name, tried };
  }
  throw new Error(`No TensorFlow.js backend works here: ${tried.map((t) => `${t.name}: ${t.reason}`).join('; ')}`);
}
