import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The data code runs on the page, in a Web Worker and in Node: nothing Node-only in it. */
const folder = new URL('../../../src/train/data/', import.meta.url);
const files = readdirSync(folder).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));

describe('src/train/data', () => {
  it.each(files)('%s uses only web APIs', (name) => {
    const code = readFileSync(new URL(name, folder), 'utf8');
    expect(code).not.toMatch(/from ['"]node:|\brequire\(|\bBuffer\b|\bprocess\.|__dirname|\bfs\./);
  });

  it('imports the 21 MB mnist package only dynamically, so a bundler splits it off', () => {
    for (const name of files) {
      const code = readFileSync(new URL(name, folder), 'utf8');
      expect(code, name).not.toMatch(/^import [^;]*from ['"]mnist['"]/m);
    }
    expect(readFileSync(new URL('mnist.ts', folder), 'utf8')).toMatch(/await import\('mnist'\)/);
  });
});
