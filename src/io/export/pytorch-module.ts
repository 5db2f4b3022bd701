import type { LayerResult } from '../../engine/analysis/result';
import type { LayerSpec } from '../../engine/layers/registry';
import { shapeIn } from '../../engine/notation';
import type { DataFormat, Dim } from '../../engine/shape/shape';
import { pyDocText, pythonNames } from './python-text';
import type { ProblemList } from './problems';
import type { Helper } from './pytorch-helpers';
import { torchLayer, type LayerCode } from './pytorch-layers';

/** What writing a module collects for the whole file: helpers and nested modules' classes. */
export interface ModuleContext {
  readonly format: DataFormat;
  readonly problems: ProblemList;
  readonly helpers: Set<Helper>;
  /** Classes of nested models, in the order they must be defined (inner ones first). */
  readonly classes: string[];
  readonly classNames: Set<string>;
}

/** An nn.Module's __init__ lines (with a train() override where needed) and forward() lines. */
export interface ModuleBody {
  readonly init: string[];
  readonly forward: string[];
  readonly inputIds: string[];
  readonly inputs: Dim[][];
}

/**
 * The body of one module from layers in wiring order: the model's own, or a nested model's.
 * `where` prefixes located problems with the nested model's name.
 */
export function moduleBody(
  layers: readonly LayerResult[],
  order: readonly number[],
  ids: ReadonlyMap<string, string>,
  ctx: ModuleContext,
  where = '',
): ModuleBody {
  const id = (name: string) => ids.get(name) as string;
  const init: string[] = [];
  const forward: string[] = [];
  const inputs: Dim[][] = [];
  const inputIds: string[] = [];
  const frozenNorms: string[] = [];
  for (const i of order) {
    const layer = layers[i] as LayerResult;
    const spec = layer.spec as LayerSpec;
    if (spec.type === 'Input') {
      inputIds.push(id(layer.name));
      inputs.push(shapeIn(spec.shape, ctx.format, 'pytorch'));
      continue;
    }
    const self = `self.${id(layer.name)}`;
    const args = { spec, layer, format: ctx.format, self, x: layer.inputs.map(id), out: id(layer.name) };
    const code: LayerCode | string =
      spec.type === 'NestedModel' ? nestedModule(args.x, args.out, layer, ctx, where) : torchLayer(args);
    if (typeof code === 'string') {
      ctx.problems.add(`${where}${layer.name}`, code);
      continue;
    }
    // A nested model's own class freezes its layers and keeps its frozen norms in eval mode.
    const nested = spec.type === 'NestedModel';
    if (code.module) init.push(`        ${self} = ${code.module}`, ...(nested ? [] : frozenLines(layer, self)));
    if (code.module && !nested && layer.frozen && hasBatchNorm(layer)) frozenNorms.push(self);
    forward.push(...code.lines.map((l) => `        ${l}`));
    for (const h of code.helpers ?? []) ctx.helpers.add(h);
  }
  // A train() override follows __init__'s lines (a frozen norm has a module, so init is not empty).
  return { init: frozenNorms.length ? [...init, '', ...trainMethod(frozenNorms)] : init, forward, inputIds, inputs };
}

/**
 * A nested model (a Keras model used as a layer: Teachable Machine's frozen base) as an
 * nn.Module class of its own, built in the outer __init__ and called on the layer's input.
 */
function nestedModule(
  x: readonly string[],
  out: string,
  layer: LayerResult,
  ctx: ModuleContext,
  where: string,
): LayerCode | string {
  const spec = layer.spec as Extract<LayerSpec, { type: 'NestedModel' }>;
  const children = layer.children ?? [];
  const last = children[children.length - 1];
  if (!last) return 'this nested model has no layers to write.';
  const ids = pythonNames(['input', ...children.map((c) => c.name)]);
  const inner = moduleBody(
    children,
    children.map((_, i) => i),
    ids,
    ctx,
    `${where}${layer.name}/`,
  );
  const base = `Nested_${out}`;
  let name = base;
  for (let n = 1; ctx.classNames.has(name); n++) name = `${base}_${n}`;
  ctx.classNames.add(name);
  const output = ids.get(spec.output ?? last.name) as string;
  ctx.classes.push(
    [
      `class ${name}(nn.Module):`,
      `    """${pyDocText(layer.name)}: a nested model (a model used as a layer)."""`,
      '',
      '    def __init__(self):',
      '        super().__init__()',
      ...(inner.init.length ? inner.init : ['        pass']),
      '',
      `    def forward(self, ${ids.get('input') as string}):`,
      ...inner.forward,
      `        return ${output}`,
    ].join('\n'),
  );
  return { module: `${name}()`, lines: [`${out} = self.${out}(${x[0] as string})`] };
}

/**
 * A frozen layer (Keras `trainable = False`): its parameters get `requires_grad` False, so an
 * optimizer leaves them alone.
 */
function frozenLines(layer: LayerResult, self: string): string[] {
  if (!layer.frozen || layer.weights.length === 0) return [];
  return [`        ${self}.requires_grad_(False)  # frozen (Keras trainable=False)`];
}

/**
 * `requires_grad` does not stop a batch norm in train mode from updating its running statistics;
 * a frozen Keras BatchNormalization runs in inference mode. The module's `train()` keeps frozen
 * ones in eval mode, so any training loop matches Keras.
 */
function trainMethod(modules: readonly string[]): string[] {
  return [
    '    def train(self, mode=True):',
    '        super().train(mode)',
    '        # Frozen batch norms stay in inference mode, as in Keras: their running statistics do not move.',
    `        for module in (${modules.join(', ')},):`,
    '            module.eval()',
    '        return self',
  ];
}

function hasBatchNorm(layer: LayerResult): boolean {
  return layer.spec?.type === 'BatchNormalization' || (layer.children ?? []).some(hasBatchNorm);
}
