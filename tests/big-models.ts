/**
 * Large models made on the fly for benchmarks and browser tests (rather than committed files):
 * both are valid ConvScope project files that a user could open, and both once froze the tab.
 */

/**
 * A model of `layers` layers whose second half are Adds of `fanIn` inputs each: an Input, a chain
 * of Dense layers, then Adds that each sum the first `fanIn` of them. Every Add input but the one
 * above is a connection the stack cannot show, so 800 layers with 400-way Adds make about 160,000
 * skip arcs (the file is about 1 MB).
 */
export function wideMergeModel(layers = 800, fanIn = 400): Record<string, unknown> {
  const adds = Math.floor(layers / 2);
  const chain = layers - adds;
  const list: Record<string, unknown>[] = [{ name: 'in', type: 'Input', shape: [8] }];
  for (let i = 1; i < chain; i++) list.push({ name: `d${i}`, type: 'Dense', units: 8 });
  const sources = list.slice(0, Math.min(fanIn, chain)).map((l) => l.name as string);
  for (let i = 0; i < adds; i++) list.push({ name: `a${i}`, type: 'Add', inputs: sources });
  return {
    format: 'convscope.model',
    version: 1,
    name: `${layers} layers, ${sources.length}-way Adds`,
    layers: list,
  };
}

/**
 * A stack of `layers` layers (the format's limit by default) made of residual blocks: conv, batch
 * norm, ReLU, conv, batch norm, Add with the block's input, ReLU; one skip arc per block.
 */
export function deepStackModel(layers = 10_000): Record<string, unknown> {
  const list: Record<string, unknown>[] = [{ name: 'input', type: 'Input', shape: [8, 8, 4] }];
  let skip = 'input';
  for (let b = 0; list.length < layers; b++) {
    list.push(
      { name: `b${b}_conv1`, type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same', useBias: false },
      { name: `b${b}_bn1`, type: 'BatchNormalization' },
      { name: `b${b}_relu1`, type: 'Activation', activation: 'relu' },
      { name: `b${b}_conv2`, type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same', useBias: false },
      { name: `b${b}_bn2`, type: 'BatchNormalization' },
      { name: `b${b}_add`, type: 'Add', inputs: [`b${b}_bn2`, skip] },
      { name: `b${b}_out`, type: 'Activation', activation: 'relu' },
    );
    skip = `b${b}_out`;
  }
  return {
    format: 'convscope.model',
    version: 1,
    name: `${layers.toLocaleString('en-US')}-layer residual stack`,
    layers: list.slice(0, layers),
  };
}
