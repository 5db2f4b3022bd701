import { analyzeModel } from '../src/engine/analysis/analyze';
import type { Analysis, LayerResult } from '../src/engine/analysis/result';
import { parseProject } from '../src/io/project/format';

/** Analyses a model written as project-file layers (names optional). */
export function analyze(
  layers: readonly Record<string, unknown>[],
  dataFormat: 'channels_last' | 'channels_first' = 'channels_last',
): Analysis {
  const read = parseProject({ format: 'convscope.model', version: 1, dataFormat, layers });
  if (!read.ok) throw new Error(read.error);
  return analyzeModel(read.model);
}

export function layerOf(analysis: Analysis, name: string): LayerResult {
  const found = analysis.layers.find((l) => l.name === name);
  if (!found) throw new Error(`no layer ${name}`);
  return found;
}

/** The last layer's output shape. */
export function outputOf(layers: readonly Record<string, unknown>[], dataFormat?: 'channels_last' | 'channels_first') {
  const a = analyze(layers, dataFormat);
  return a.layers[a.layers.length - 1]?.output;
}
