import type { Model } from '../engine/model/model';

/** A new model: one 32×32 RGB input, ready for layers from the palette. */
export function newModel(): Model {
  return {
    name: 'Untitled',
    dataFormat: 'channels_last',
    layers: [{ name: 'input', spec: { type: 'Input', shape: [32, 32, 3] } }],
  };
}
