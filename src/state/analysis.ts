import { analyzeModel } from '../engine/analysis/analyze';
import type { Analysis } from '../engine/analysis/result';
import type { Model } from '../engine/model/model';

const analyses = new WeakMap<Model, Analysis>();
let latest: Analysis | undefined;

/**
 * The engine's analysis of a model, computed once per model object (never stored in the
 * state). The latest analysis is handed to the engine so that layers an edit did not touch keep
 * their results, and their rows need not be redrawn.
 */
export function analysisOf(model: Model): Analysis {
  let analysis = analyses.get(model);
  if (!analysis) {
    analysis = analyzeModel(model, latest);
    analyses.set(model, analysis);
  }
  latest = analysis;
  return analysis;
}
