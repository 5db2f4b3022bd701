/**
 * What a file is, from its first bytes ("magic numbers"), so a wrong pick gets a message that
 * names what was found ("a PNG image") rather than a decompressor's complaint.
 */

export type Sniffed =
  | { readonly kind: 'gzip' }
  | { readonly kind: 'tar' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'other'; readonly what: string };

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((byte, i) => head[at + i] === byte);

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

/** Signatures of files people pick by mistake; the first that matches names the file. */
const SIGNATURES: readonly (readonly [readonly number[], string])[] = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [ascii('GIF8'), 'a GIF image'],
  [ascii('PK\x03\x04'), 'a ZIP archive'],
  [ascii('BZh'), 'a bzip2-compressed file'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'an xz-compressed file'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'a 7-Zip archive'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'a Zstandard-compressed file'],
  [ascii('%PDF'), 'a PDF document'],
  [[0x80, 0x02], 'a Python pickle (a batch of the Python version of CIFAR-10?)'],
  [[0x80, 0x03], 'a Python pickle'],
  [[0x80, 0x04], 'a Python pickle'],
];

/** Whether the 512 bytes at the start look like a tar header: "ustar" at offset 257 (POSIX and GNU tar). */
const isTar = (head: Uint8Array) => startsWith(head, ascii('ustar'), 257);

/** The kind of file, from its first bytes: at least 512 (4,096 to spot a lone CIFAR-10 batch), fewer only when that is all there is. */
export function sniff(head: Uint8Array): Sniffed {
  if (head.length === 0) return { kind: 'empty' };
  if (startsWith(head, [0x1f, 0x8b])) return { kind: 'gzip' };
  if (isTar(head)) return { kind: 'tar' };
  for (const [bytes, what] of SIGNATURES) if (startsWith(head, bytes)) return { kind: 'other', what };
  const text = new TextDecoder().decode(head.subarray(0, 256)).trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html'))
    return { kind: 'other', what: 'a web page (HTML)' };
  // A CIFAR-10 record is 3,073 bytes starting with its label (0–9).
  if ((head[0] ?? 255) <= 9 && (head[3073] ?? 255) <= 9)
    return { kind: 'other', what: 'raw bytes, perhaps one CIFAR-10 batch (.bin) on its own' };
  return { kind: 'other', what: 'a file of an unknown kind' };
}
