import { env, util, type TensorInfo } from '@tensorflow/tfjs';
import { VOLATILE } from './host-cache';

/**
 * One compute dispatch of our own WGSL on tfjs-backend-webgpu that writes several new tensors.
 * The package's runWebGPUProgram binds one output, so a kernel with several (batch norm's mean,
 * variance, 1/σ and moving averages; its dx, dγ and dβ) would take one dispatch per output there.
 * This records the dispatch the way the package's recordAndSubmit does (4.22): into its open
 * compute pass, counted toward its deferred-submit batch, every buffer marked as owned by the
 * queue until the submit so none is reused early.
 *
 * The shader's bindings: the outputs first (0…k−1, read_write), then the inputs (read), then one
 * uniform struct of 32-bit scalars (`uniforms`), in the order given. Pipelines are compiled once
 * per device and key.
 *
 * An output may also be a tensor an earlier dispatch made, which this one writes more of (several
 * dispatches filling one tensor, each its own range: WebGPU orders the dispatches of a pass, and
 * tfjs reads a tensor only after its commands are submitted). It is marked as owned by the queue
 * again, as the new ones are, and the caller hands it to tfjs once, as its kernel's output.
 */

/** The parts of tfjs-backend-webgpu's WebGPUBackend (4.22) this uses. */
export interface WebGpuInternals {
  readonly device: GPUDevice;
  makeTensorInfo(shape: number[], dtype: 'float32', values?: Float32Array): TensorInfo;
  uploadToGPU(dataId: object): void;
  tensorToBinding(t: TensorInfo): GPUBindingResource;
  makeUniforms(u: { type: 'int32' | 'float32'; data: number[] }[]): GPUBindingResource;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  commandEncoder: GPUCommandEncoder;
  computePassEncoder: GPUComputePassEncoder | null;
  dispatchCountInPass: number;
  readonly commandQueueOwnedIds: WeakSet<object>;
  readonly activeTimers: unknown[] | null;
  readonly pipelineCache: Record<string, GPUComputePipeline | Promise<GPUComputePipeline>>;
}

export interface Uniform {
  readonly type: 'int32' | 'float32';
  readonly value: number;
}

export const int = (value: number): Uniform => ({ type: 'int32', value });
export const float = (value: number): Uniform => ({ type: 'float32', value });

export interface Dispatch {
  /** Names the pipeline: the same key, the same WGSL. */
  readonly key: string;
  readonly code: () => string;
  readonly inputs: readonly TensorInfo[];
  /** Each a shape (a new float32 tensor) or a float32 tensor made before, to write into. */
  readonly outputs: readonly (number[] | TensorInfo)[];
  /** The fields of the shader's `Uniforms` struct, in order (scalars: 4 bytes each, no padding). */
  readonly uniforms: readonly Uniform[];
  /** The uniforms change with every call (a learning rate): host-cache.ts does not keep them. */
  readonly volatile?: boolean;
  readonly workgroups: number;
}

function pipeline(backend: WebGpuInternals, key: string, code: () => string): GPUComputePipeline {
  const name = `ConvScope:${key}`;
  const cached = backend.pipelineCache[name];
  if (cached && !(cached instanceof Promise)) return cached;
  const module = backend.device.createShaderModule({ code: code() });
  const made = backend.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  backend.pipelineCache[name] = made;
  return made;
}

/** Records one dispatch of `d` and returns its outputs (new float32 tensors, or the ones given). */
export function dispatch(backend: WebGpuInternals, d: Dispatch): TensorInfo[] {
  const outputs = d.outputs.map((o) => (Array.isArray(o) ? backend.makeTensorInfo(o, 'float32') : o));
  if (outputs.some((t) => t.dtype !== 'float32')) throw new Error(`${d.key}: outputs are float32`);
  if (outputs.some((t) => util.sizeFromShape(t.shape) === 0) || d.workgroups === 0)
    throw new Error(`${d.key}: empty tensors have no dispatch`);
  for (const t of [...outputs, ...d.inputs]) backend.uploadToGPU(t.dataId);
  const program = pipeline(backend, d.key, d.code);
  const bindings = [
    ...outputs.map((t) => backend.tensorToBinding(t)),
    ...d.inputs.map((t) => backend.tensorToBinding(t)),
    backend.makeUniforms(
      Object.assign(
        d.uniforms.map((u) => ({ type: u.type, data: [u.value] })),
        { [VOLATILE]: d.volatile ?? false },
      ),
    ),
  ];
  for (const t of [...outputs, ...d.inputs]) backend.commandQueueOwnedIds.add(t.dataId);
  const bindGroup = backend.device.createBindGroup({
    layout: program.getBindGroupLayout(0),
    entries: bindings.map((resource, binding) => ({ binding, resource })),
  });
  backend.ensureCommandEncoderReady();
  if (!backend.computePassEncoder) backend.computePassEncoder = backend.commandEncoder.beginComputePass({});
  backend.computePassEncoder.setPipeline(program);
  backend.computePassEncoder.setBindGroup(0, bindGroup);
  backend.computePassEncoder.dispatchWorkgroups(d.workgroups, 1, 1);
  backend.dispatchCountInPass++;
  // Under tf.profile / tf.time the package ends a pass per program to time it; ours is not timed.
  if (backend.activeTimers != null) backend.endComputePassEncoder();
  else if (Number(env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE')) <= backend.dispatchCountInPass) {
    backend.endComputePassEncoder();
    backend.submitQueue();
  }
  return outputs;
}
