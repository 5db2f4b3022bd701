import type { ReceptiveField } from '../../engine/analysis/receptive-field';
import { fieldText } from '../../engine/shape/format';

/** What the three numbers of a receptive field ("3 / 1 / -1") mean, for headers and help. */
export const FIELD_HELP =
  'Receptive field in input positions: size = how many input positions one output sees; ' +
  'jump = how far apart in the input the windows of two neighbouring outputs start; ' +
  'start = where the first output’s window starts (negative: in the padding).';

/** "Receptive field: size 3, jump 1, start -1", for a cell's title and its screen-reader label. */
export function fieldTitle(field: ReceptiveField | null): string {
  const text = fieldText(field);
  if (text === '—') return 'No receptive field: positions no longer exist after this layer';
  const [size, jump, start] = text.split(' / ');
  return `Receptive field: size ${size}, jump ${jump}, start ${start}`;
}
