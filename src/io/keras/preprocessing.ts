type Config = Record<string, unknown>;

const present = (v: unknown) => (v === null ? undefined : v);

/**
 * Keras' preprocessing layers models keep at their input (Rescaling, Normalization): their
 * configs → ConvScope fields (undefined: the default). Normalization's `mean`/`variance` are
 * null until given; adapt() then stores them as weights, which the engine counts.
 */
export const preprocessingFields: Readonly<Record<string, (c: Config) => Record<string, unknown>>> = {
  Rescaling: (c) => ({ type: 'Rescaling', scale: c['scale'], offset: c['offset'] }),
  Normalization: (c) => ({
    type: 'Normalization',
    axis: c['axis'],
    mean: present(c['mean']),
    variance: present(c['variance']),
    invert: c['invert'],
  }),
};
