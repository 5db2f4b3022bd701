import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';

/**
 * Where the built site serves tfjs-backend-wasm's binaries: Vite copies each into the build's
 * assets (hashed names) and gives its URL, for `setWasmPaths`. Browser builds only: Node finds
 * the binaries in the package itself. The backend runs single-threaded (see choose.ts), so the
 * threaded binary is never fetched; `setWasmPaths` wants an entry for it, which points at the
 * SIMD one rather than shipping 0.4 MB nobody loads.
 */
export const WASM_PATHS: Readonly<Record<string, string>> = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmSimd,
};
