import { resolveWiring } from '../../engine/analysis/graph';
import type { Analysis, LayerResult } from '../../engine/analysis/result';
import type { LayerSpec } from '../../engine/layers/registry';
import { shapeIn } from '../../engine/notation';
import type { DataFormat, Dim } from '../../engine/shape/shape';
import { pyDocText, pythonNames } from './python-text';
import { ProblemList, modelProblems, type ExportResult } from './problems';
import { HELPERS, HELPER_NEEDS, type Helper } from './pytorch-helpers';
import { torchLayer, type LayerCode } from './pytorch-layers';

/** A PyTorch module for the model, and how its forward() names each layer's output. */
export interface PyTorchExport {
  readonly code: string;
  /** Layer name → the local variable holding its output in forward(). */
  readonly locals: Readonly<Record<string, string>>;
  /** Input shapes as PyTorch takes them (batch excluded, channels first). */
  readonly inputs: readonly (readonly Dim[])[];
}

/**
 * Writes the model as a self-contained PyTorch module: `build_model()` returns it. The code
 * reproduces the model exactly: TF 'same' padding (asymmetric where it is), causal padding,
 * option A shortcuts, ceil-mode pooling; channels-last models run in PyTorch's N×C×H×W layout
 * and switch to the Keras layout where the result depends on it (Flatten, Reshape, Permute,
 * Dense on feature maps), so that every layer computes what the model says.
 */
export function toPyTorch(analysis: Analysis): ExportResult<PyTorchExport> {
  const problems = new ProblemList();
  for (const p of modelProblems(analysis, 'pytorch')) problems.add(p.layer, p.message);
  if (problems.items.length) return problems.result(null as never);
  const format = analysis.model.dataFormat;
  const ids = pythonNames(analysis.layers.map((l) => l.name));
  const id = (name: string) => ids.get(name) as string;
  const helpers = new Set<Helper>();
  const init: string[] = [];
  const forward: string[] = [];
  const inputs: Dim[][] = [];
  const inputIds: string[] = [];
  const frozenNorms: string[] = [];
  for (const i of resolveWiring(analysis.model.layers).order) {
    const layer = analysis.layers[i] as LayerResult;
    const spec = layer.spec as LayerSpec;
    if (spec.type === 'Input') {
      inputIds.push(id(layer.name));
      inputs.push(shapeIn(spec.shape, format, 'pytorch'));
      continue;
    }
    const code: LayerCode | string = torchLayer({
      spec,
      layer,
      format,
      self: `self.${id(layer.name)}`,
      x: layer.inputs.map(id),
      out: id(layer.name),
    });
    if (typeof code === 'string') {
      problems.add(layer.name, code);
      continue;
    }
    if (code.module)
      init.push(`        self.${id(layer.name)} = ${code.module}`, ...frozenLines(layer, `self.${id(layer.name)}`));
    if (code.module && layer.frozen && hasBatchNorm(layer)) frozenNorms.push(`self.${id(layer.name)}`);
    forward.push(...code.lines.map((l) => `        ${l}`));
    for (const h of code.helpers ?? []) helpers.add(h);
  }
  if (problems.items.length) return problems.result(null as never);
  const outputs = analysis.outputs.map(id);
  // A train() override follows __init__'s lines (a frozen norm has a module, so init is not empty).
  const body = frozenNorms.length ? [...init, '', ...trainMethod(frozenNorms)] : init;
  const code = render(analysis, format, withNeeds(helpers), body, forward, inputIds, outputs, inputs);
  return { ok: true, value: { code, locals: Object.fromEntries(ids), inputs } };
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

function withNeeds(helpers: Set<Helper>): Helper[] {
  const all = new Set<Helper>();
  const add = (h: Helper) => {
    for (const need of HELPER_NEEDS[h] ?? []) add(need);
    all.add(h);
  };
  helpers.forEach(add);
  return (Object.keys(HELPERS) as Helper[]).filter((h) => all.has(h));
}

function render(
  analysis: Analysis,
  format: DataFormat,
  helpers: readonly Helper[],
  init: readonly string[],
  forward: readonly string[],
  inputIds: readonly string[],
  outputs: readonly string[],
  inputs: readonly (readonly Dim[])[],
): string {
  const name = pyDocText(analysis.model.name);
  const shapes = inputs.map((s) => `N×${s.map((d) => d ?? 'any').join('×')}`).join(' and ');
  const example = inputs.map((s) => `torch.zeros(1, ${s.map((d) => d ?? 64).join(', ')})`).join(', ');
  const layout =
    format === 'channels_last'
      ? " (the model was built channels-last; this code runs it in PyTorch's channels-first layout)"
      : '';
  return [
    `"""${name}: a PyTorch model exported by ConvScope.`,
    '',
    `build_model() returns the module. It takes ${shapes}${layout}.`,
    '"""',
    'import torch',
    'from torch import nn',
    'import torch.nn.functional as F',
    ...helpers.flatMap((h) => ['', '', HELPERS[h]]),
    '',
    '',
    'class Model(nn.Module):',
    `    """${name}."""`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...(init.length ? init : ['        pass']),
    '',
    `    def forward(self, ${inputIds.join(', ')}):`,
    ...forward,
    `        return ${outputs.length === 1 ? outputs[0] : `(${outputs.join(', ')})`}`,
    '',
    '',
    'def build_model() -> nn.Module:',
    '    return Model()',
    '',
    '',
    'if __name__ == "__main__":',
    '    model = build_model().eval()',
    '    print(model)',
    `    out = model(${example})`,
    '    print("output:", tuple(out.shape) if torch.is_tensor(out) else [tuple(o.shape) for o in out])',
    '    print("parameters:", sum(p.numel() for p in model.parameters()))',
    ...(analysis.totals.frozenParams > 0
      ? ['    print("trainable:", sum(p.numel() for p in model.parameters() if p.requires_grad))']
      : []),
    '',
  ].join('\n');
}
