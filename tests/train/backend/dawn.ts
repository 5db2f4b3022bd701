import { existsSync } from 'node:fs';

/** Debian's chromium ships SwiftShader's Vulkan driver: a software GPU for Dawn where there is none. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface DawnAdapter {
  /** Vendor, architecture and driver, as the adapter reports them. */
  readonly name: string;
  /** A software adapter (SwiftShader, llvmpipe): correct but slow. */
  readonly software: boolean;
}

/**
 * Gives Node a `navigator.gpu` from Dawn (the `webgpu` package), so tfjs-backend-webgpu runs
 * outside a browser: on a real GPU's Vulkan driver where VK_ICD_FILENAMES names one, else on
 * SwiftShader when chromium is installed. `flags` go to Dawn: `['backend=null']` is its null
 * adapter (every API call, no GPU work). `null` when no adapter is found.
 */
export async function installDawn(flags: readonly string[] = []): Promise<DawnAdapter | null> {
  if (!process.env['VK_ICD_FILENAMES'] && existsSync(SWIFTSHADER_ICD))
    process.env['VK_ICD_FILENAMES'] = SWIFTSHADER_ICD;
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([...flags]);
  Object.defineProperty(globalThis, 'navigator', { value: { ...globalThis.navigator, gpu }, configurable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const info = adapter.info;
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  return { name, software: info.isFallbackAdapter || /swiftshader|llvmpipe/i.test(name) };
}
