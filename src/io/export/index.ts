import type { Analysis } from '../../engine/analysis/result';
import { jsonText } from '../safe-text';
import { toKerasJson } from './keras-json';
import { toKerasPython } from './keras-python';
import type { ExportResult } from './problems';
import { toPyTorch } from './pytorch';
import { toTrainScript } from './train-script';

export type Target = 'pytorch' | 'keras' | 'keras-json' | 'train-script';

export const TARGETS: Record<Target, { label: string; file: (name: string) => string; language: 'python' | 'json' }> = {
  pytorch: { label: 'PyTorch', file: () => 'model.py', language: 'python' },
  keras: { label: 'Keras (Python)', file: () => 'keras_model.py', language: 'python' },
  'keras-json': { label: 'Keras JSON', file: (name) => `${name}.keras.json`, language: 'json' },
  'train-script': { label: 'Training script', file: () => 'train.py', language: 'python' },
};

/** The model as text in a target, or the located reasons it cannot be written there. */
export function exportModel(analysis: Analysis, target: Target, moduleName = 'model'): ExportResult<string> {
  switch (target) {
    case 'pytorch': {
      const r = toPyTorch(analysis);
      return r.ok ? { ok: true, value: r.value.code } : r;
    }
    case 'keras':
      return toKerasPython(analysis);
    case 'keras-json': {
      const r = toKerasJson(analysis);
      return r.ok ? { ok: true, value: `${jsonText(r.value, 2)}\n` } : r;
    }
    case 'train-script':
      return toTrainScript(analysis, moduleName);
  }
}
