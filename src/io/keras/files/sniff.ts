/** What a model file's first bytes say it is. */
export type FileKind = 'zip' | 'hdf5' | 'text';

const ZIP = [0x50, 0x4b, 0x03, 0x04]; // "PK\3\4": a zip's first local file header
const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]; // "\x89HDF\r\n\x1a\n", the HDF5 superblock signature

const startsWith = (bytes: Uint8Array, signature: readonly number[]) => signature.every((b, i) => bytes[i] === b);

/**
 * A zip (Keras 3's `.keras`), an HDF5 file (Keras 2's `.h5`) or anything else, read as text.
 * HDF5 may put its superblock at 512, 1024, … bytes when a user block precedes it; Keras never
 * writes one, so only offset 0 is checked.
 */
export function sniffFile(bytes: Uint8Array): FileKind {
  if (startsWith(bytes, ZIP)) return 'zip';
  if (startsWith(bytes, HDF5)) return 'hdf5';
  return 'text';
}
