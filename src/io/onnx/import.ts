import { analyzeModel } from '../../engine/analysis/analyze';
import type { Analysis } from '../../engine/analysis/result';
import type { ModelLayer } from '../../engine/model/model';
import { validateLayerSpec } from '../layer-spec';
import { MAX_LAYERS, type ReadResult } from '../project/format';
import { attribute, foldConstant, readTensor, type Constant } from './constants';
import { onnxOps, outputRank, type OpContext } from './ops';
import { fusedBias, unknownOp, type Draft, type Value } from './node-helpers';
import {
  decodeModel,
  toNumber,
  type GraphProto,
  type AttributeProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from './proto';

/** The model read from an ONNX file, and which ONNX tensor each layer's output is. */
export interface OnnxRead {
  readonly result: ReadResult;
  /** Layer name → the name of the ONNX tensor it outputs. */
  readonly tensors: ReadonlyMap<string, string>;
}

/** Reads an ONNX model file (see docs/model-format.md); never throws. */
export async function importOnnx(bytes: Uint8Array, fileName = ''): Promise<ReadResult> {
  return (await readOnnx(bytes, fileName)).result;
}

export async function readOnnx(bytes: Uint8Array, fileName = ''): Promise<OnnxRead> {
  let proto: ModelProto;
  try {
    proto = await decodeModel(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return fail(`Not a readable ONNX file: its protobuf data is damaged or cut short (${why}).`);
  }
  const graph = proto.graph;
  if (!graph?.node?.length) return fail('graph: the ONNX file holds no graph nodes.');
  if (graph.node.length > MAX_LAYERS * 4)
    return fail(
      `graph: ${graph.node.length.toLocaleString('en-US')} nodes; ConvScope reads models of at most ${MAX_LAYERS.toLocaleString('en-US')} layers.`,
    );
  const name = fileName.replace(/\.onnx$/i, '') || graph.name || 'onnx model';
  return convertGraph(graph, name);
}

function fail(error: string): OnnxRead {
  return { result: { ok: false, error }, tensors: new Map() };
}

function convertGraph(graph: GraphProto, name: string): OnnxRead {
  const reader = new GraphReader(graph.initializer ?? []);
  for (const input of graph.input ?? []) reader.addInput(input);
  graph.node?.forEach((node, index) => reader.addNode(node, index));
  const { drafts, values, tensors } = reader;
  if (drafts.length > MAX_LAYERS)
    return fail(
      `graph: the model has ${drafts.length.toLocaleString('en-US')} layers; ConvScope reads models of at most ${MAX_LAYERS.toLocaleString('en-US')}.`,
    );
  const outputs = [
    ...new Set((graph.output ?? []).map((o) => values.get(o.name ?? '')?.layer.name).filter((n): n is string => !!n)),
  ];
  const layers = drafts.map(toModelLayer);
  return {
    result: { ok: true, model: { name, dataFormat: 'channels_first', layers, ...(outputs.length ? { outputs } : {}) } },
    tensors,
  };
}

/** Walks the graph in its (topological) node order, turning nodes into layer drafts. */
class GraphReader {
  readonly drafts: Draft[] = [];
  /** ONNX tensor name → the layer that outputs it. */
  readonly values = new Map<string, Value>();
  /** Layer name → the ONNX tensor it outputs. */
  readonly tensors = new Map<string, string>();
  private readonly constants = new Map<string, Constant>();
  /** Names of the file's initializers: stored weights, as against constants the graph computes. */
  private readonly initializers = new Set<string>();
  private readonly taken = new Set<string>();
  /** Dense layers made from a MatMul, which an Add of a 1-D constant may give a bias. */
  private readonly matMuls = new Set<Draft>();
  /** The batch size of the graph's input, where the file fixes it. */
  private batch: number | undefined;
  /** The analysis of the layers read so far (for Shape nodes), and how many layers it covers. */
  private analysis: { of: number; result: Analysis } | undefined;

  constructor(initializers: readonly TensorProto[]) {
    for (const t of initializers) if (t.name) this.constants.set(t.name, readTensor(t));
    for (const t of initializers) if (t.name) this.initializers.add(t.name);
  }

  addInput(input: ValueInfoProto): void {
    if (!input.name || this.constants.has(input.name)) return;
    const dims = input.type?.tensor_type?.shape?.dim ?? [];
    const shape = dims.slice(1).map((d) => (toNumber(d.dim_value) > 0 ? toNumber(d.dim_value) : null));
    if (this.drafts.length === 0 && toNumber(dims[0]?.dim_value) > 0) this.batch = toNumber(dims[0]?.dim_value);
    const draft: Draft = {
      name: this.unique(input.name),
      sourceClass: 'Input',
      inputs: [],
      fields: { type: 'Input', shape },
      where: `graph.input '${input.name}'`,
    };
    this.add(draft, [input.name], dims.length);
  }

  addNode(node: NodeProto, index: number): void {
    const outputs = node.output ?? [];
    const ins = node.input ?? [];
    if (ins.every((i) => !i || this.constants.has(i)) && outputs[0]) {
      const folded = foldConstant(
        node,
        ins.map((i) => this.constants.get(i)),
      );
      if (folded) return void this.constants.set(outputs[0], folded);
    }
    if (node.op_type === 'Shape' && outputs[0]) {
      const shape = this.shapeConstant(node);
      if (shape) return void this.constants.set(outputs[0], shape);
    }
    const fed = ins.map((i) => this.values.get(i));
    const first = fed.find((v) => v !== undefined);
    if (node.op_type === 'Split' && first && fed.length >= 1 && fed[0] === first)
      return this.addSplit(node, index, first);
    const biasOf = fusedBias(node, fed, this.constants, this.matMuls);
    if (biasOf) {
      biasOf.fields = { ...biasOf.fields, useBias: true };
      this.matMuls.delete(biasOf);
      return this.add(biasOf, outputs.slice(0, 1), first?.rank);
    }
    const op = node.op_type ?? '?';
    const ctx: OpContext = {
      node,
      constant: (i) => this.constants.get(ins[i] ?? ''),
      initializer: (i) => this.initializers.has(ins[i] ?? ''),
      rank: first?.rank,
      layerInputs: fed.filter(Boolean).length,
      sizeOf: (axis) => (first ? this.sizeOf(first, axis) : undefined),
    };
    const mapped = node.domain && node.domain !== 'ai.onnx' ? undefined : onnxOps[op]?.(ctx);
    if (mapped && 'alias' in mapped) {
      if (first && outputs[0]) this.values.set(outputs[0], first);
      return;
    }
    if (mapped && 'chain' in mapped) return this.addChain(node, index, mapped.chain, first);
    const draft: Draft = {
      name: this.unique(node.name || `${op}_${index}`),
      sourceClass: op,
      inputs: fed.filter((v): v is Value => v !== undefined).map((v) => v.layer.name),
      where: `graph.node[${index}] ('${node.name ?? ''}', ${op})`,
    };
    if (!mapped) draft.problem = unknownOp(node);
    else if ('unsupported' in mapped) draft.problem = `${op}: ${mapped.unsupported}.`;
    else draft.fields = mapped.fields;
    if (draft.fields?.['type'] === 'Dense' && op === 'MatMul') this.matMuls.add(draft);
    this.add(draft, outputs, draft.fields ? outputRank(draft.fields, first?.rank) : undefined);
  }

  /**
   * Split (`torch.split`, `chunk`): one Slice layer per output, each named after the node and
   * its output's index. Sizes from the `split` input or attribute, else equal parts of the axis'
   * size as the analysis knows it (the last one smaller where it does not divide, as ONNX 18's).
   */
  private addSplit(node: NodeProto, index: number, x: Value): void {
    const outputs = node.output ?? [];
    const base = node.name || `Split_${index}`;
    const where = `graph.node[${index}] ('${node.name ?? ''}', Split)`;
    const given = attribute(node, 'axis')?.i;
    const axis = given === undefined ? 0 : toNumber(given) < 0 && x.rank ? toNumber(given) + x.rank : toNumber(given);
    const sizes =
      this.constants.get(node.input?.[1] ?? '')?.values ??
      attribute(node, 'split')?.ints?.map(toNumber) ??
      this.equalParts(x, axis, outputs.length);
    const problem =
      axis <= 0
        ? 'Split: it splits the batch axis.'
        : !sizes || sizes.length !== outputs.length
          ? "Split: its part sizes are neither in the file nor computable (the split axis' size is unknown)."
          : undefined;
    if (problem) {
      const draft: Draft = { name: this.unique(base), sourceClass: 'Split', inputs: [x.layer.name], problem, where };
      return this.add(draft, outputs, undefined);
    }
    let start = 0;
    outputs.forEach((output, i) => {
      const end = start + (sizes?.[i] ?? 0);
      const fields = { type: 'Slice', axis, start, end };
      const draft: Draft = {
        name: this.unique(`${base}_${i}`),
        sourceClass: 'Split',
        inputs: [x.layer.name],
        fields,
        where,
      };
      this.add(draft, [output], x.rank);
      start = end;
    });
  }

  /** Layers one after the other for one node (a Slice of several axes), the last giving its output. */
  private addChain(node: NodeProto, index: number, chain: Record<string, unknown>[], x: Value | undefined): void {
    const op = node.op_type ?? '?';
    const base = node.name || `${op}_${index}`;
    let previous = x?.layer.name;
    chain.forEach((fields, i) => {
      const name = this.unique(`${base}_${i}`);
      const where = `graph.node[${index}] ('${node.name ?? ''}', ${op})`;
      const draft: Draft = { name, sourceClass: op, inputs: previous ? [previous] : [], fields, where };
      this.add(draft, i === chain.length - 1 ? (node.output ?? []) : [], x?.rank);
      previous = name;
    });
  }

  /** The size of axis `axis` (batch counted, ≥ 1) of a layer's output, where the analysis knows it. */
  private sizeOf(x: Value, axis: number): number | undefined {
    const size = this.analysed().layers.find((l) => l.name === x.layer.name)?.output?.[axis - 1];
    return typeof size === 'number' ? size : undefined;
  }

  /** `parts` equal parts of axis `axis` (batch counted) of a layer's output, where its size is known. */
  private equalParts(x: Value, axis: number, parts: number): number[] | undefined {
    const size = this.sizeOf(x, axis);
    if (size === undefined || parts < 1) return undefined;
    const part = Math.ceil(size / parts);
    return Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(part, size - i * part)));
  }

  /**
   * A Shape node of a layer's output whose size the analysis knows in full (with the file's batch
   * size), as a constant: shape arithmetic (`x.size(1) // 2` for torch.chunk) then folds.
   */
  private shapeConstant(node: NodeProto): Constant | undefined {
    const value = this.values.get(node.input?.[0] ?? '');
    if (!value || this.batch === undefined) return undefined;
    const output = this.analysed().layers.find((l) => l.name === value.layer.name)?.output;
    if (!output || output.some((d) => d === null)) return undefined;
    const all = [this.batch, ...(output as number[])];
    const at = (a: AttributeProto | undefined, fallback: number) => {
      const i = a?.i === undefined ? fallback : toNumber(a.i);
      return Math.min(Math.max(i < 0 ? i + all.length : i, 0), all.length);
    };
    const values = all.slice(at(attribute(node, 'start'), 0), at(attribute(node, 'end'), all.length));
    return { dims: [values.length], values, integer: true };
  }

  /** The analysis of every layer read so far, redone only when layers were added. */
  private analysed(): Analysis {
    if (this.analysis?.of !== this.drafts.length) {
      const model = { name: 'onnx', dataFormat: 'channels_first' as const, layers: this.drafts.map(toModelLayer) };
      this.analysis = { of: this.drafts.length, result: analyzeModel(model, this.analysis?.result) };
    }
    return this.analysis.result;
  }

  /** Records `draft` (once) as the layer that outputs `outputs`. */
  private add(draft: Draft, outputs: readonly string[], rank: number | undefined): void {
    if (!this.tensors.has(draft.name)) this.drafts.push(draft);
    for (const o of outputs) if (o) this.values.set(o, { layer: draft, rank });
    this.tensors.set(draft.name, outputs[0] ?? '');
  }

  /** The name as given, or with `_1`, `_2`, … where it is taken (ONNX names need not be unique). */
  private unique(base: string): string {
    let n = base;
    for (let i = 1; this.taken.has(n); i++) n = `${base}_${i}`;
    this.taken.add(n);
    return n;
  }
}

function toModelLayer(d: Draft): ModelLayer {
  const wiring = {
    name: d.name,
    sourceClass: d.sourceClass,
    ...(d.fields?.['type'] === 'Input' ? {} : { inputs: d.inputs }),
  };
  const spec = d.fields ? validateLayerSpec(d.fields) : undefined;
  if (spec?.ok) return { ...wiring, spec: spec.spec };
  const problems = d.problem ? [d.problem] : spec && !spec.ok ? spec.problems : [];
  return {
    ...wiring,
    spec: null,
    type: d.sourceClass,
    problems: problems.map((p) => `${d.where}: ${p}`),
    raw: { type: d.sourceClass, ...d.fields },
  };
}
