import type { Dataset, File, Group } from 'jsfive';

/** One weight tensor as a file stores it. */
export interface FileWeight {
  /** Where it lies in the file: `model_weights/conv1/conv1/kernel:0`. */
  readonly path: string;
  readonly shape: readonly number[];
  /** Reads the values (only when asked: a file's weights can be most of its size). */
  readonly values: () => Float32Array | null;
}

/** Opens HDF5 bytes with jsfive (loaded on first use); a corrupt file is a message, not a throw. */
export async function openHdf5(bytes: Uint8Array, name: string): Promise<File | string> {
  const { File: H5File } = await import('jsfive');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    return new H5File(buffer, name);
  } catch {
    return 'the HDF5 file cannot be read: its structure is cut off or damaged. Is it complete?';
  }
}

/** The object at `path`, or `undefined` when there is none (or it cannot be read). */
export function child(group: Group, path: string): Group | Dataset | undefined {
  try {
    return group.get(path);
  } catch {
    return undefined;
  }
}

/** jsfive's Dataset extends Array (so it has `keys` too); only a dataset has a dtype. */
export const isDataset = (node: unknown): node is Dataset =>
  typeof node === 'object' && node !== null && 'dtype' in node;

export function groupKeys(node: Group | Dataset | undefined): string[] {
  if (!node || isDataset(node)) return [];
  try {
    return node.keys;
  } catch {
    return [];
  }
}

/**
 * A list attribute as Keras writes it: whole, or split into `name0`, `name1`, … when it would
 * pass HDF5's 64 KB object-header limit (keras/saving/hdf5_format.py,
 * save_attributes_to_hdf5_group).
 */
export function stringList(group: Group, name: string): string[] | undefined {
  const attrs = safeAttrs(group);
  const whole = attrs[name];
  if (whole !== undefined) return asStrings(whole);
  const parts: string[] = [];
  for (let i = 0; attrs[`${name}${i}`] !== undefined; i++) parts.push(...(asStrings(attrs[`${name}${i}`]) ?? []));
  return parts.length ? parts : undefined;
}

export function safeAttrs(node: Group | Dataset): Record<string, unknown> {
  try {
    return node.attrs;
  } catch {
    return {};
  }
}

function asStrings(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  return list.every((v) => typeof v === 'string') ? (list as string[]) : undefined;
}

/** A dataset as a FileWeight: its shape at once, its values on request. */
export function fileWeight(dataset: Dataset, path: string): FileWeight {
  return {
    path,
    shape: [...dataset.shape],
    values: () => {
      try {
        return Float32Array.from(dataset.value);
      } catch {
        return null;
      }
    },
  };
}
