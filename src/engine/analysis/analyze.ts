import { error, type Diagnostic, type Issue } from '../model/diagnostic';
import { isFrozen, isInput, type Model, type ModelLayer } from '../model/model';
import type { WeightTensor } from '../model/weights';
import { kindOf, type LayerSpec } from '../layers/registry';
import type { Inference, InferContext, LayerKind, SubAnalysis } from '../layers/kind';
import { isExactCount } from '../shape/format';
import { elementCount, type DataFormat, type Shape } from '../shape/shape';
import { resolveWiring } from './graph';
import { composeField, inputField, unionFields, type ReceptiveField } from './receptive-field';
import type { Analysis, LayerResult, Totals } from './result';

/**
 * Analyses a model: every layer's output shape, weights, parameters, MACs and receptive field,
 * and every problem as a located diagnostic. Never throws for a bad model.
 *
 * Given the analysis of the model before an edit, results of layers the edit left alone (the same
 * layer object, fed by results that were themselves reused) are reused as they are, so an editor
 * redraws only what changed.
 */
export function analyzeModel(model: Model, previous?: Analysis): Analysis {
  const reuse = previous && previous.model.dataFormat === model.dataFormat ? reusable(previous) : undefined;
  const layers = analyzeGraph(model.layers, model.dataFormat, reuse);
  const diagnostics: Diagnostic[] = [];
  const fed = new Set<string>();
  for (const l of layers) {
    for (const issue of l.issues) diagnostics.push({ layer: l.name, ...issue });
    for (const input of l.inputs) fed.add(input);
  }
  return {
    model,
    layers,
    outputs: model.outputs ?? layers.filter((l) => !fed.has(l.name)).map((l) => l.name),
    totals: totalsOf(layers),
    diagnostics,
    ok: diagnostics.every((d) => d.severity !== 'error'),
  };
}

/**
 * Sums parameters and MACs; MACs are `null` when any layer's are unknown. A layer that was not
 * built (its output is unknown) contributes nothing it may really hold, so the totals are then
 * marked incomplete.
 */
export function totalsOf(layers: readonly LayerResult[]): Totals {
  let params = 0;
  let trainableParams = 0;
  let nonTrainableParams = 0;
  let frozenParams = 0;
  let macs: number | null = 0;
  let complete = true;
  for (const l of layers) {
    params += l.params;
    trainableParams += l.trainableParams;
    // Summed, not params − trainable: past 2^53 that difference is rounding, not a count.
    nonTrainableParams += l.nonTrainableParams;
    frozenParams += l.frozenParams;
    macs = macs === null || l.macs === null ? null : macs + l.macs;
    if (l.output === null) complete = false;
  }
  return { params, trainableParams, nonTrainableParams, frozenParams, macs, complete };
}

/**
 * Whether every count of the analysis (parameters, MACs, activation sizes, of every layer and
 * block member, and the totals) is exact, i.e. none is past 2^53 where doubles round.
 */
export function countsExact(analysis: Analysis): boolean {
  const exact = (l: LayerResult): boolean =>
    isExactCount(l.params) &&
    (l.macs === null || isExactCount(l.macs)) &&
    (l.activationSize === null || isExactCount(l.activationSize)) &&
    (l.children ?? []).every(exact);
  const { totals } = analysis;
  return (
    isExactCount(totals.params) && (totals.macs === null || isExactCount(totals.macs)) && analysis.layers.every(exact)
  );
}

/** Earlier results by layer object, and by name (to check that their inputs are unchanged). */
interface Reuse {
  readonly byLayer: ReadonlyMap<ModelLayer, LayerResult>;
  readonly byName: ReadonlyMap<string, LayerResult>;
}

const WIRING_CODES = new Set([
  'duplicate-name',
  'missing-input',
  'self-input',
  'no-input',
  'too-many-inputs',
  'too-few-inputs',
  'cycle',
]);

function reusable(previous: Analysis): Reuse {
  const byLayer = new Map<ModelLayer, LayerResult>();
  previous.model.layers.forEach((layer, i) => {
    const result = previous.layers[i];
    if (result && !result.issues.some((issue) => WIRING_CODES.has(issue.code))) byLayer.set(layer, result);
  });
  return { byLayer, byName: new Map(previous.layers.map((l) => [l.name, l])) };
}

/** An earlier result still holds if the layer and everything feeding it are unchanged. */
function stillValid(
  reuse: Reuse | undefined,
  layer: ModelLayer,
  inputs: readonly string[],
  sources: readonly (LayerResult | undefined)[],
) {
  const earlier = reuse?.byLayer.get(layer);
  if (!earlier || earlier.inputs.length !== inputs.length) return undefined;
  for (let i = 0; i < inputs.length; i++) {
    if (
      earlier.inputs[i] !== inputs[i] ||
      sources[i] === undefined ||
      sources[i] !== reuse?.byName.get(inputs[i] as string)
    )
      return undefined;
  }
  return earlier;
}

/** Analyses layers in dependency order; results come back in the layers' own order. */
export function analyzeGraph(layers: readonly ModelLayer[], format: DataFormat, reuse?: Reuse): LayerResult[] {
  const wiring = resolveWiring(layers);
  const results: (LayerResult | undefined)[] = new Array(layers.length);
  const byName = new Map<string, LayerResult>();
  const analyzeSub = (sub: readonly ModelLayer[], input: Shape): SubAnalysis => subAnalysis(sub, input, format);
  for (const i of wiring.order) {
    const layer = layers[i] as ModelLayer;
    const inputs = wiring.inputsOf[i] ?? [];
    const sources = inputs.map((name) => byName.get(name));
    const wiringIssues = wiring.issues.get(i) ?? [];
    const kept = wiringIssues.length === 0 ? stillValid(reuse, layer, inputs, sources) : undefined;
    const result = kept ?? analyzeLayer(layer, inputs, sources, wiringIssues, format, analyzeSub);
    results[i] = result;
    if (wiring.indexOf.get(layer.name) === i) byName.set(layer.name, result);
  }
  // Layers in or downstream of a cycle were never reached: report them as not built.
  return layers.map((layer, i) => results[i] ?? unbuilt(layer, wiring.inputsOf[i] ?? [], wiring.issues.get(i) ?? []));
}

function analyzeLayer(
  layer: ModelLayer,
  inputs: readonly string[],
  sources: readonly (LayerResult | undefined)[],
  wiringIssues: readonly Issue[],
  format: DataFormat,
  analyzeSub: InferContext<unknown>['analyzeSub'],
): LayerResult {
  const inputShapes = sources.map((s) => s?.output ?? null);
  if (layer.spec === null) {
    const problems = layer.problems.map((text) => error('invalid-layer', text));
    return unbuilt(layer, inputs, [...wiringIssues, ...problems], inputShapes);
  }
  // An upstream error has already been reported; don't repeat it here.
  if (wiringIssues.some((w) => w.severity === 'error') || inputShapes.some((s) => s === null)) {
    return unbuilt(layer, inputs, wiringIssues, inputShapes);
  }
  const kind = kindOf(layer.spec.type) as LayerKind<LayerSpec>;
  const ctx: InferContext<LayerSpec> = {
    spec: layer.spec,
    inputs: inputShapes as Shape[],
    inputNames: inputs,
    format,
    analyzeSub,
  };
  const inference = kind.infer(ctx);
  const incoming = sources[0]?.receptiveField ?? null;
  const children =
    inference.children &&
    (kind.category === 'block' ? globalFields(inference.children, incoming) : inference.children.map(withoutField));
  const located = children ? { ...inference, children } : inference;
  return resultOf(layer, inputs, inputShapes, located, fieldOf(layer, inference, sources), wiringIssues);
}

/**
 * A block's layers were analysed from the block's input; measure their fields from the model
 * input instead, so that every row of a summary uses one coordinate system.
 */
function globalFields(children: readonly LayerResult[], incoming: ReceptiveField | null): LayerResult[] {
  return children.map((c) => ({
    ...c,
    receptiveField:
      incoming && c.receptiveField
        ? composeField(
            incoming,
            c.receptiveField.axes.map((a, from) => ({ from, ...a })),
          )
        : null,
    ...(c.children ? { children: globalFields(c.children, incoming) } : {}),
  }));
}

/** A wrapped layer's field is per step; the wrapper's own row carries the field. */
function withoutField(c: LayerResult): LayerResult {
  return { ...c, receptiveField: null };
}

function fieldOf(
  layer: ModelLayer,
  inference: Inference,
  sources: readonly (LayerResult | undefined)[],
): ReceptiveField | null {
  if (inference.output === null) return null;
  if (isInput(layer)) {
    const rank = inference.output.length - 1;
    return rank >= 1 ? inputField(layer.name, rank) : null;
  }
  const local = inference.field;
  if (local === null) return null;
  if (local === 'union') return unionFields(sources.map((s) => s?.receptiveField ?? null));
  const incoming = sources[0]?.receptiveField;
  return incoming ? composeField(incoming, local) : null;
}

function resultOf(
  layer: ModelLayer,
  inputs: readonly string[],
  inputShapes: readonly (Shape | null)[],
  inference: Inference,
  receptiveField: ReceptiveField | null,
  wiringIssues: readonly Issue[],
): LayerResult {
  const frozen = isFrozen(layer);
  const sums = weightSums(inference.weights, frozen);
  const output = inference.output;
  const result: { -readonly [K in keyof LayerResult]: LayerResult[K] } = {
    name: layer.name,
    type: layer.sourceClass ?? layer.spec?.type ?? 'Unknown',
    spec: layer.spec,
    inputs,
    inputShapes,
    output,
    weights: inference.weights,
    ...sums,
    macs: output !== null ? inference.macs : 0,
    activationSize: output ? elementCount(output) : null,
    receptiveField,
    issues: wiringIssues.length === 0 ? inference.issues : [...wiringIssues, ...inference.issues],
  };
  if (frozen) result.frozen = true;
  if (inference.geometry) result.geometry = inference.geometry;
  if (inference.children) result.children = frozen ? inference.children.map(frozenResult) : inference.children;
  return result;
}

/**
 * A layer's parameter sums. A frozen layer's weights are all non-trainable (Keras: a frozen
 * BatchNormalization's gamma and beta join its moving statistics); those trained by gradient
 * otherwise are its `frozenParams`.
 */
function weightSums(weights: readonly WeightTensor[], frozen: boolean) {
  let params = 0;
  let trainableParams = 0;
  let nonTrainableParams = 0;
  let frozenParams = 0;
  for (const w of weights) {
    const still = frozen || w.frozen === true;
    params += w.count;
    if (w.trainable && !still) trainableParams += w.count;
    else nonTrainableParams += w.count;
    if (w.trainable && still) frozenParams += w.count;
  }
  return { params, trainableParams, nonTrainableParams, frozenParams };
}

/** A layer inside a frozen block: frozen too. */
function frozenResult(l: LayerResult): LayerResult {
  return {
    ...l,
    ...weightSums(l.weights, true),
    frozen: true,
    ...(l.children ? { children: l.children.map(frozenResult) } : {}),
  };
}

function unbuilt(
  layer: ModelLayer,
  inputs: readonly string[],
  issues: readonly Issue[],
  inputShapes: readonly (Shape | null)[] = inputs.map(() => null),
): LayerResult {
  const none: Inference = { output: null, weights: [], macs: 0, field: null, issues };
  return resultOf(layer, inputs, inputShapes, none, null, []);
}

/** A block's or wrapper's layers, fed by one input named 'input' of the given shape. */
function subAnalysis(layers: readonly ModelLayer[], input: Shape, format: DataFormat): SubAnalysis {
  const all = analyzeGraph([{ name: 'input', spec: { type: 'Input', shape: [...input] } }, ...layers], format);
  const inner = all.slice(1);
  return { layers: inner, output: inner[inner.length - 1] };
}
