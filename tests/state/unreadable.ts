import { toProjectFile } from '../../src/io/project/format';
import { presetModel } from '../../src/presets';

/** What an autosave may hold that this ConvScope cannot read, as found in people's browsers. */
export const UNREADABLE = {
  corrupt: '{"format":"convscope.model","version":1,"layers":[{"type":"Inp',
  'wrong type': '[1,2,3]',
  'newer version': JSON.stringify({ ...toProjectFile(presetModel('lenet5')), version: 2, blocks: [] }),
};
