import { resolveWiring } from '../../engine/analysis/graph';
import type { Analysis } from '../../engine/analysis/result';
import type { DataFormat, Dim } from '../../engine/shape/shape';
import { pyDocText, pythonNames } from './python-text';
import { ProblemList, modelProblems, type ExportResult } from './problems';
import { HELPERS, HELPER_NEEDS, type Helper } from './pytorch-helpers';
import { moduleBody, type ModuleBody, type ModuleContext } from './pytorch-module';

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
  const ctx: ModuleContext = { format, problems, helpers: new Set<Helper>(), classes: [], classNames: new Set() };
  const order = resolveWiring(analysis.model.layers).order;
  const body = moduleBody(analysis.layers, order, ids, ctx);
  if (problems.items.length) return problems.result(null as never);
  const outputs = analysis.outputs.map((n) => ids.get(n) as string);
  const code = render(analysis, format, withNeeds(ctx.helpers), ctx.classes, body, outputs);
  return { ok: true, value: { code, locals: Object.fromEntries(ids), inputs: body.inputs } };
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
  classes: readonly string[],
  { init, forward, inputIds, inputs }: ModuleBody,
  outputs: readonly string[],
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
    ...classes.flatMap((c) => ['', '', c]),
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
