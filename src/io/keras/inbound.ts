/**
 * Inbound tensors of a Keras functional layer. Keras 2 and TensorFlow.js write a list of nodes,
 * each a list of `[layer, node, tensor, kwargs]`; Keras 3 writes `{args, kwargs}` with tensors
 * as `{class_name: "__keras_tensor__", config: {keras_history: [layer, node, tensor]}}`, nested
 * in lists for merges. Returns one list of layer names per node.
 */
export function inboundLayers(inboundNodes: unknown): string[][] {
  if (!Array.isArray(inboundNodes)) return [];
  return inboundNodes.map((node) => {
    const names: string[] = [];
    if (Array.isArray(node)) {
      for (const entry of node) {
        if (isHistory(entry)) {
          names.push(entry[0]);
          // Keras 2 passes further tensors as keyword arguments (MultiHeadAttention's value, key).
          const kwargs = entry[3];
          if (kwargs && typeof kwargs === 'object')
            for (const arg of Object.values(kwargs)) if (isHistory(arg)) names.push(arg[0]);
        } else collectHistories(entry, names);
      }
    } else {
      collectHistories(node, names);
    }
    return names;
  });
}

function isHistory(value: unknown): value is [string, number, number, ...unknown[]] {
  return (
    Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number' && typeof value[2] === 'number'
  );
}

/** Every `keras_history` in a Keras 3 structure, depth first, in order. */
function collectHistories(value: unknown, into: string[], depth = 0): void {
  if (depth > 32 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collectHistories(item, into, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  if (isHistory(record['keras_history'])) {
    into.push(record['keras_history'][0]);
    return;
  }
  for (const item of Object.values(record)) collectHistories(item, into, depth + 1);
}
