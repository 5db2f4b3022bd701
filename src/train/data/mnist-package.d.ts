/** The part of the `mnist` package (cazala/mnist 1.1, CommonJS, no types of its own) that ConvScope uses. */
declare module 'mnist' {
  interface MnistDigit {
    /** The digit, 0–9. */
    readonly id: number;
    /** How many samples of it the package has (863 to 1,127). */
    readonly length: number;
    /** Sample `index`: 784 values in 0–1 (the bytes / 255, rounded to 3 decimals), row-major 28×28. */
    get(index: number): number[];
  }
  const mnist: readonly MnistDigit[];
  export default mnist;
}
