import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportModel, TARGETS, type Target } from '../../src/io/export';
import { highlightCode } from '../../src/ui/export/highlight';
import { analyse, hostileCase, TEMPLATES } from '../io/hostile-models';

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#x27;': "'" };

/**
 * The highlighted HTML, checked as a browser would read it: only `<span class="hljs-…">` and
 * `</span>` tags, and the text between them, entities decoded, is exactly the code.
 */
function readBack(html: string): string {
  const tag = /<span class="hljs-[\w-]+(?: [\w-]+_*)*">|<\/span>/g;
  const text = html.replace(tag, '');
  expect(text).not.toMatch(/[<>]/);
  expect(text).not.toMatch(/&(?!lt;|gt;|amp;|quot;|#x27;)/);
  return text.replace(/&lt;|&gt;|&amp;|&quot;|&#x27;/g, (e) => ENTITIES[e] as string);
}

const markup = [
  '</code><img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  '&lt;b&gt;',
];

describe('the export dialog’s highlighted code', () => {
  it('a model and layers named with HTML: only highlight.js spans, and the text is the code', () => {
    const names = Array.from({ length: TEMPLATES[0]?.names ?? 0 }, (_, i) => `${markup[i % markup.length]}${i}`);
    const analysis = analyse(0, markup[0] as string, names);
    for (const target of Object.keys(TARGETS) as Target[]) {
      const code = exportModel(analysis, target);
      if (!code.ok) throw new Error(`${target}: ${JSON.stringify(code.problems)}`);
      const html = highlightCode(code.value, TARGETS[target].language);
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<script');
      expect(readBack(html), target).toBe(code.value);
    }
  });

  it('hostile names of every kind (fast-check): the highlighted text reads back as the code', () => {
    const withMarkup = hostileCase(TEMPLATES.map((_, i) => i)).map((c) => ({
      ...c,
      modelName: `${c.modelName}${markup[c.modelName.length % markup.length]}`,
    }));
    fc.assert(
      fc.property(withMarkup, fc.constantFrom(...(Object.keys(TARGETS) as Target[])), (c, target) => {
        const code = exportModel(analyse(c.template, c.modelName, c.layerNames), target);
        if (!code.ok) return;
        expect(readBack(highlightCode(code.value, TARGETS[target].language))).toBe(code.value);
      }),
      { numRuns: 300 },
    );
  });
});
