import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  isReservedName,
  pyDocText,
  pyIdentifier,
  pyNumber,
  pyString,
  pythonLiteral,
  pythonNames,
} from '../../src/io/export/python-text';
import { terminalText } from '../../src/io/safe-text';
import { hostileString } from './hostile-models';
import { findPython, runPythonLines } from './python/find-python';

describe('Python text from user strings', () => {
  it.each([
    ['conv1', '"conv1"'],
    ['C:\\Users', '"C:\\\\Users"'],
    ['x""";__import__("os")', '"x\\"\\"\\";__import__(\\"os\\")"'],
    ["it's", '"it\'s"'],
    ['a\nb\rc\td', '"a\\nb\\rc\\td"'],
    ['\0\u001b\u007f\u0085', '"\\x00\\x1b\\x7f\\x85"'],
    ['\u2028\u2029\u202e\ufeff', '"\\u2028\\u2029\\u202e\\ufeff"'],
    ['\ud800x\udfff', '"\\ud800x\\udfff"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['卷积 é 😀', '"卷积 é 😀"'],
  ])('pyString(%j) is %s', (text, literal) => {
    expect(pyString(text)).toBe(literal);
  });

  it('docstring text shows control characters as escapes, and escapes what would end the docstring', () => {
    expect(pyDocText('resnet20')).toBe('resnet20');
    expect(pyDocText('x"""\u001b[2J')).toBe('x\\"\\"\\"\\\\x1b[2J');
    expect(pyDocText('C:\\Users')).toBe('C:\\\\Users');
  });

  it.each([
    ['conv1', 'conv1'],
    ['block1/conv', 'block1_conv'],
    ['Conv2D-1', 'Conv2D_1'],
    ['forward', 'forward_'],
    ['training', 'training_'],
    ['requires_grad_', 'requires_grad__'],
    ['class', 'class_'],
    ['match', 'match_'],
    ['input', 'input_'],
    ['float', 'float_'],
    ['torch', 'torch_'],
    ['self', 'self_'],
    ['_modules', 'layer__modules'],
    ['__class__', 'layer___class__'],
    ['1x1', 'layer_1x1'],
    ['', 'layer_'],
    ['卷积', 'layer___'],
  ])('pyIdentifier(%j) is %s', (name, id) => {
    expect(pyIdentifier(name)).toBe(id);
  });

  it('pythonNames keeps plain names and makes every identifier unique and unreserved', () => {
    const ids = pythonNames(['conv1', 'a b', 'a_b', 'forward', 'forward_', 'zero_grad_1']);
    expect([...ids.values()]).toEqual(['conv1', 'a_b', 'a_b_1', 'forward_', 'forward__1', 'zero_grad_1']);
    fc.assert(
      fc.property(fc.uniqueArray(hostileString, { maxLength: 12 }), (names) => {
        const values = [...pythonNames(names).values()];
        expect(new Set(values).size).toBe(names.length);
        for (const v of values) expect(isReservedName(v) || !/^[A-Za-z][A-Za-z0-9_]*$/.test(v)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('numbers: integers and decimals as written; infinities and NaN as Python floats', () => {
    expect([pyNumber(3), pyNumber(0.001), pyNumber(1e-7), pyNumber(Infinity), pyNumber(-Infinity)]).toEqual([
      '3',
      '0.001',
      '1e-7',
      'float("inf")',
      '-float("inf")',
    ]);
    expect(pyNumber(NaN)).toBe('float("nan")');
    expect(pythonLiteral({ 'a"b': ['x\n', 1, null, true] })).toBe('{"a\\"b": ("x\\n", 1, None, True)}');
  });
});

const python = findPython(['ast', 'keyword']);
const checker = fileURLToPath(new URL('./python/check_literals.py', import.meta.url));

describe.skipIf(!python)('Python reads back what ConvScope writes', () => {
  it('20,000 hostile strings: the literal is the string, the docstring is its terminal form, the identifier is usable', () => {
    const texts = fc.sample(fc.oneof(hostileString, fc.string({ unit: 'binary' })), { numRuns: 20_000, seed: 14 });
    const lines = texts.map((text) => ({
      text,
      literal: pyString(text),
      doc: pyDocText(text),
      shown: terminalText(text),
      identifier: pyIdentifier(text),
    }));
    const report = runPythonLines<{ checked: number; failures: unknown[]; torch: boolean }>(
      python as string,
      checker,
      lines,
    );
    expect(report.failures).toEqual([]);
    expect(report.checked).toBe(20_000);
  });

  it('the reserved names cover every keyword, builtin and torch.nn.Module attribute of the installed Python and PyTorch', () => {
    const names = JSON.parse(execFileSync(python as string, [checker, '--names']).toString()) as {
      keywords: string[];
      builtins: string[];
      module: string[] | null;
    };
    const public_ = (xs: readonly string[]) => xs.filter((x) => !x.startsWith('_'));
    expect(public_(names.keywords).filter((k) => !isReservedName(k))).toEqual([]);
    expect(public_(names.builtins).filter((b) => !isReservedName(b))).toEqual([]);
    if (names.module) {
      expect(public_(names.module).filter((a) => !isReservedName(a))).toEqual([]);
      // The underscored ones (_modules, __class__, …) can never be an identifier: it starts with a letter.
      for (const a of names.module.filter((x) => x.startsWith('_'))) expect(pyIdentifier(a)).not.toBe(a);
    } else console.warn('torch.nn.Module attributes not compared: no PyTorch in this Python.');
  });
});
