import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { ISOLATION_HEADERS } from './src/pwa/isolation.ts';

/**
 * tfjs-backend-wasm gives its threaded build's pthread workers the module factory as source
 * text, `factory.toString()`. Minified, that function refers to names outside itself, the
 * workers throw ("e is not defined") and setBackend('wasm') never resolves. The build hands them
 * the package's own unminified file instead, as a string, which the minifier leaves alone.
 */
function tfjsWasmThreadsSource(): Plugin {
  const factorySource = /`var WasmBackendModuleThreadedSimd = `\s*\+\s*wasmFactoryThreadedSimd\.toString\(\)/;
  return {
    name: 'convscope:tfjs-wasm-threads-source',
    apply: 'build',
    transform(code, id) {
      if (!/tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/.test(id)) return null;
      if (!factorySource.test(code)) this.error('the threaded factory source is not where this fix expects it');
      const source = "import threadedSource from '../wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';\n";
      return { code: source + code.replace(factorySource, 'threadedSource'), map: null };
    },
  };
}

export default defineConfig({
  // Relative asset paths: the built site works from any sub-path (a docs site, GitHub Pages).
  base: './',
  plugins: [
    react(),
    tfjsWasmThreadsSource(),
    // A service worker (src/pwa/sw.ts) precaches the built site, so it keeps working offline
    // once loaded, from whatever sub-path it is served, and isolates the pages it serves.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/pwa',
      filename: 'sw.ts',
      // src/pwa/register.ts registers it (from main.tsx) and offers the reload when a new version is in.
      injectRegister: false,
      manifest: {
        name: 'ConvScope',
        short_name: 'ConvScope',
        description: 'Every tensor’s shape, every kernel, exactly.',
        start_url: '.',
        scope: '.',
        display: 'standalone',
        background_color: '#f6f6f4',
        theme_color: '#1a56c4',
        icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,webmanifest,wasm}'],
        // MNIST (20 MB, loaded only when chosen) is cached when first used rather than up front.
        globIgnores: ['**/mnist-*.js'],
      },
    }),
  ],
  server: { port: 5173, headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  // The training worker's imports, optimised up front: discovered only when a run starts, they
  // would make the dev server re-optimise and reload the page mid-run.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgpu',
      // Our WebGPU filter gradient uses the package's im2col program (src/train/backend/webgpu/kernels.ts).
      '@tensorflow/tfjs-backend-webgpu/dist/im2col_webgpu',
      'modern-tar',
    ],
  },
  worker: { format: 'es', plugins: () => [tfjsWasmThreadsSource()] },
  // The size budget (250 KB gzipped for the initial JavaScript) is measured by npm run bench:ui.
  build: { chunkSizeWarningLimit: 800 },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/e2e/**'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
