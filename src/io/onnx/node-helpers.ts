import type { Constant } from './constants';
import type { NodeProto } from './proto';

/** A layer being built: its fields, or why it cannot be read. */
export interface Draft {
  name: string;
  sourceClass: string;
  inputs: string[];
  fields?: Record<string, unknown>;
  problem?: string;
  where: string;
}

/** A tensor of the graph: a layer's output (and its rank, batch counted) or a constant. */
export type Value = { layer: Draft; rank: number | undefined };

/** MatMul then Add of a 1-D constant (a Linear layer at opset ≥ 9 without Gemm): one Dense with a bias. */
export function fusedBias(
  node: NodeProto,
  fed: readonly (Value | undefined)[],
  constants: ReadonlyMap<string, Constant>,
  matMuls: ReadonlySet<Draft>,
): Draft | undefined {
  if (node.op_type !== 'Add' || fed.filter(Boolean).length !== 1) return undefined;
  const layer = fed.find(Boolean)?.layer;
  const bias = (node.input ?? []).map((i) => constants.get(i)).find(Boolean);
  if (!layer || !matMuls.has(layer) || bias?.dims.length !== 1) return undefined;
  return bias.dims[0] === layer.fields?.['units'] ? layer : undefined;
}

export function unknownOp(node: NodeProto): string {
  const op = node.op_type ?? '?';
  if (node.domain && node.domain !== 'ai.onnx')
    return `the operator '${op}' of domain '${node.domain}' is not standard ONNX; ConvScope reads the default domain.`;
  if (op === 'Shape')
    return `${op}: shape arithmetic on a layer's output is not read (export with fixed input sizes and do_constant_folding=True).`;
  return `the ONNX operator '${op}' is not supported by ConvScope; the layers it feeds cannot be analysed.`;
}
