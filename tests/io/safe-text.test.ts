import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonText, terminalLines, terminalText } from '../../src/io/safe-text';
import { hostileString } from './hostile-models';

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

describe('terminal text', () => {
  it.each([
    ['conv1', 'conv1'],
    ['C:\\Users', 'C:\\Users'],
    ['evil\u001b]0;pwned\u0007', 'evil\\x1b]0;pwned\\x07'],
    ['row\r\nfake', 'row\\r\\nfake'],
    ['\u009b2J\u007f', '\\x9b2J\\x7f'],
    ['gpj.\u202eexe', 'gpj.\\u202eexe'],
    ['a\u2028b\u200bc', 'a\\u2028b\\u200bc'],
    ['\ud800', '\\ud800'],
    ['卷积 😀', '卷积 😀'],
  ])('terminalText(%j) is %j', (text, shown) => {
    expect(terminalText(text)).toBe(shown);
  });

  it('no control or invisible character survives; text without them is unchanged', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        const shown = terminalText(text);
        expect(INVISIBLE.test(shown)).toBe(false);
        if (!INVISIBLE.test(text)) expect(shown).toBe(text);
      }),
      { numRuns: 5000 },
    );
  });

  it('terminalLines keeps its own line breaks and escapes the rest', () => {
    expect(terminalLines('layers[1]: bad \u001b[31m\nlayers[2]: \r')).toBe('layers[1]: bad \\x1b[31m\nlayers[2]: \\r');
  });
});

describe('JSON text', () => {
  it('means the same as JSON.stringify and holds no raw control, invisible or separator character', () => {
    fc.assert(
      fc.property(fc.dictionary(hostileString, fc.oneof(hostileString, fc.array(hostileString))), (value) => {
        const text = jsonText(value, 2);
        expect(JSON.parse(text)).toEqual(value);
        expect(/(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u.test(text)).toBe(false);
      }),
      { numRuns: 3000 },
    );
    expect(jsonText({ name: '\u009b\u2028\u{e0001}' })).toBe('{"name":"\\u009b\\u2028\\udb40\\udc01"}');
  });
});
