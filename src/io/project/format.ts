import { z } from 'zod';
import type { Model, ModelLayer } from '../../engine/model/model';
import { defaultLayerName } from '../../engine/model/edits';
import { formatIssues, validateLayerSpec } from '../layer-spec';

/** The project's own file format: see docs/model-format.md. */
export const FORMAT_ID = 'convscope.model';
export const FORMAT_VERSION = 1;
export const MAX_LAYERS = 10_000;

export type ReadResult = { ok: true; model: Model } | { ok: false; error: string };

const fileSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(FORMAT_ID, { error: `"format" must be "${FORMAT_ID}"` }).optional(),
  version: z.number().int().min(1).optional(),
  name: z.string().max(200).optional(),
  description: z.string().max(10_000).optional(),
  dataFormat: z.enum(['channels_last', 'channels_first']).optional(),
  layers: z
    .array(z.record(z.string(), z.unknown(), { error: 'each layer must be an object' }))
    .min(1, { error: 'a model needs at least one layer' })
    .max(MAX_LAYERS, { error: `at most ${MAX_LAYERS.toLocaleString('en-US')} layers` }),
  outputs: z.array(z.string()).optional(),
});

/**
 * Reads a parsed project file. Structural problems (not an object, no layers, a newer
 * version) make it unreadable; a bad layer becomes an invalid layer with located problems, and
 * the rest of the model is still analysed.
 */
export function parseProject(data: unknown): ReadResult {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) return { ok: false, error: formatIssues(parsed.error.issues, data).join('\n') };
  const file = parsed.data;
  if (file.version !== undefined && file.version > FORMAT_VERSION) {
    return {
      ok: false,
      error: `version: this file is format version ${file.version}; this ConvScope reads up to ${FORMAT_VERSION}. Update ConvScope.`,
    };
  }
  const names = autoNames(file.layers);
  const layers = file.layers.map((raw, i) => readLayer(raw, names[i] as string, i));
  return {
    ok: true,
    model: {
      name: file.name ?? 'model',
      ...(file.description ? { description: file.description } : {}),
      dataFormat: file.dataFormat ?? 'channels_last',
      layers,
      ...(file.outputs ? { outputs: file.outputs } : {}),
    },
  };
}

function readLayer(raw: Record<string, unknown>, name: string, index: number): ModelLayer {
  const { name: _name, inputs, group, trainable, ...fields } = raw;
  const problems: string[] = [];
  const validInputs = Array.isArray(inputs) && inputs.every((x) => typeof x === 'string');
  if (inputs !== undefined && !validInputs) problems.push('inputs: must be a list of layer names');
  if (_name !== undefined && (typeof _name !== 'string' || _name === ''))
    problems.push(`name: must be a non-empty string (using '${name}')`);
  if (group !== undefined && typeof group !== 'string') problems.push('group: must be a string');
  if (trainable !== undefined && typeof trainable !== 'boolean') problems.push('trainable: must be true or false');
  const wiring = {
    name,
    ...(validInputs ? { inputs: inputs as string[] } : {}),
    ...(typeof group === 'string' ? { group } : {}),
    ...(trainable === false ? { trainable: false as const } : {}),
  };
  const spec = validateLayerSpec(fields);
  if (spec.ok && problems.length === 0) return { ...wiring, spec: spec.spec };
  return {
    ...wiring,
    spec: null,
    type: typeof fields['type'] === 'string' ? fields['type'] : 'Unknown',
    problems: [...problems, ...(spec.ok ? [] : spec.problems)].map((p) => `layers[${index}].${p}`),
    raw: fields,
  };
}

/** Names as given; a layer without one is named like Keras does: conv2d, conv2d_1, …. */
function autoNames(layers: readonly Record<string, unknown>[]): string[] {
  const taken = new Set(layers.map((l) => l['name']).filter((n): n is string => typeof n === 'string' && n !== ''));
  const counters = new Map<string, number>();
  return layers.map((l) => {
    if (typeof l['name'] === 'string' && l['name'] !== '') return l['name'];
    const base = defaultLayerName(typeof l['type'] === 'string' ? l['type'] : 'layer');
    let name: string;
    do {
      const n = counters.get(base) ?? 0;
      counters.set(base, n + 1);
      name = n === 0 ? base : `${base}_${n}`;
    } while (taken.has(name));
    taken.add(name);
    return name;
  });
}

/** The model as a project file, ready for JSON.stringify. Invalid layers keep their fields. */
export function toProjectFile(model: Model): Record<string, unknown> {
  return {
    format: FORMAT_ID,
    version: FORMAT_VERSION,
    name: model.name,
    ...(model.description ? { description: model.description } : {}),
    dataFormat: model.dataFormat,
    layers: model.layers.map((l) => ({
      name: l.name,
      ...(l.inputs ? { inputs: l.inputs } : {}),
      ...(l.group ? { group: l.group } : {}),
      ...(l.trainable === false ? { trainable: false } : {}),
      ...(l.spec ? l.spec : l.raw),
    })),
    ...(model.outputs ? { outputs: model.outputs } : {}),
  };
}
