import type { Model } from '../../engine/model/model';
import { toProjectFile } from '../../io/project/format';
import { download } from '../../viz/export-image';

/** Downloads the model as a project file named after it (the toolbar's Save). */
export function saveModelFile(model: Model): void {
  download(
    `${model.name.replace(/[^\w.-]+/g, '_') || 'model'}.convscope.json`,
    `${JSON.stringify(toProjectFile(model), null, 2)}\n`,
    'application/json',
  );
}
