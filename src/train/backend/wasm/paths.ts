import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/**
 * Where the built site serves tfjs-backend-wasm's binaries: Vite copies each into the build's
 * assets (hashed names) and gives its URL, for `setWasmPaths`. Browser builds only: Node finds
 * the binaries in the package itself. The threaded one is fetched only by cross-origin isolated
 * pages (threads.ts).
 */
export const WASM_PATHS: Readonly<Record<string, string>> = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};
