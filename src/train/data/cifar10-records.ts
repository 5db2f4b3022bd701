import { DatasetError } from './errors';

/**
 * CIFAR-10 binary records → images channels last, as the bytes arrive.
 *
 * The layout (https://www.cs.toronto.edu/~kriz/cifar.html, "Binary version"): each record is
 * 1 label byte (0–9) then 3,072 pixel bytes, 1,024 red, 1,024 green and 1,024 blue, each plane
 * row-major 32×32. Record r's pixel (y, x) of channel c is byte 1 + c·1024 + y·32 + x; here it
 * goes to r·3072 + (y·32 + x)·3 + c (height × width × channels, as `ImageSet` wants).
 */
export const RECORD_BYTES = 3073;
export const PIXELS = 1024;
export const IMAGE_BYTES = 3 * PIXELS;

export class RecordDecoder {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly records: number;
  /** Per channel (r, g, b): the sum of the pixel bytes decoded so far and of their squares. */
  readonly sums: [number, number, number] = [0, 0, 0];
  readonly squares: [number, number, number] = [0, 0, 0];
  private decoded = 0;
  /** A record split between two chunks, gathered here. */
  private readonly partial = new Uint8Array(RECORD_BYTES);
  private partialLength = 0;

  /** `size`: the file's byte count, from its tar header; not a whole number of records is an error. */
  constructor(
    readonly file: string,
    size: number,
  ) {
    if (size === 0 || size % RECORD_BYTES !== 0)
      throw new DatasetError(
        `${file} is ${size.toLocaleString('en')} bytes, not a whole number of CIFAR-10 records ` +
          `(3,073 bytes each: a label and 32×32×3 pixels). Is this the binary version of CIFAR-10?`,
        'bad-records',
      );
    this.records = size / RECORD_BYTES;
    this.images = new Uint8Array(this.records * IMAGE_BYTES);
    this.labels = new Uint8Array(this.records);
  }

  /** Decodes the records in `chunk`, keeping a trailing part record for the next chunk. */
  push(chunk: Uint8Array): void {
    let offset = 0;
    if (this.partialLength > 0) {
      const take = Math.min(RECORD_BYTES - this.partialLength, chunk.length);
      this.partial.set(chunk.subarray(0, take), this.partialLength);
      this.partialLength += take;
      offset = take;
      if (this.partialLength < RECORD_BYTES) return;
      this.decode(this.partial, 0);
      this.partialLength = 0;
    }
    for (; offset + RECORD_BYTES <= chunk.length; offset += RECORD_BYTES) this.decode(chunk, offset);
    if (offset < chunk.length) {
      this.partial.set(chunk.subarray(offset));
      this.partialLength = chunk.length - offset;
    }
  }

  /** Whether every record in the file was decoded. */
  get complete(): boolean {
    return this.decoded === this.records && this.partialLength === 0;
  }

  private decode(bytes: Uint8Array, at: number): void {
    const record = this.decoded;
    if (record >= this.records) throw new DatasetError(`${this.file} holds more data than its size says.`, 'corrupt');
    const label = bytes[at] as number;
    if (label > 9)
      throw new DatasetError(
        `Record ${(record + 1).toLocaleString('en')} of ${this.file} has label ${label}; CIFAR-10 labels are 0–9. ` +
          `The file is corrupt or not the binary version of CIFAR-10.`,
        'bad-records',
      );
    this.labels[record] = label;
    const out = this.images;
    const base = record * IMAGE_BYTES;
    const red = at + 1;
    let [sumR, sumG, sumB, sqR, sqG, sqB] = [0, 0, 0, 0, 0, 0];
    for (let p = 0; p < PIXELS; p++) {
      const r = bytes[red + p] as number;
      const g = bytes[red + PIXELS + p] as number;
      const b = bytes[red + 2 * PIXELS + p] as number;
      const o = base + 3 * p;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      sumR += r;
      sumG += g;
      sumB += b;
      sqR += r * r;
      sqG += g * g;
      sqB += b * b;
    }
    this.sums[0] += sumR;
    this.sums[1] += sumG;
    this.sums[2] += sumB;
    this.squares[0] += sqR;
    this.squares[1] += sqG;
    this.squares[2] += sqB;
    this.decoded++;
  }
}
