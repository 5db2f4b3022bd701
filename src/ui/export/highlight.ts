import hljs from 'highlight.js/lib/core';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';

hljs.registerLanguage('python', python);
hljs.registerLanguage('json', json);

/**
 * Exported code as highlighted HTML: the code's own text escaped by highlight.js (`<`, `>`, `&`,
 * quotes become entities), wrapped in `<span class="hljs-…">` elements and nothing else. This is
 * the one place the app turns text into HTML (tests/ui/export-highlight.test.ts checks it with
 * hostile names).
 */
export function highlightCode(code: string, language: 'python' | 'json'): string {
  return hljs.highlight(code, { language }).value;
}
