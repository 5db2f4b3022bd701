/** The part of jsfive (https://github.com/usnistgov/jsfive) ConvScope uses; the package has no types. */
declare module 'jsfive' {
  export class Group {
    readonly attrs: Record<string, unknown>;
    readonly keys: string[];
    get(path: string): Group | Dataset;
  }
  export class Dataset {
    readonly attrs: Record<string, unknown>;
    readonly shape: number[];
    readonly dtype: unknown;
    readonly value: ArrayLike<number>;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename: string);
  }
}
