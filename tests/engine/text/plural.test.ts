import { describe, expect, it } from 'vitest';
import { article, countOf, noun, ordinal } from '../../../src/engine/text/plural';

describe('counts in words', () => {
  it.each([
    [0, 'filter', undefined, '0 filters'],
    [1, 'filter', undefined, '1 filter'],
    [2, 'filter', undefined, '2 filters'],
    [1024, 'channel', undefined, '1,024 channels'],
    [1, 'axis', 'axes', '1 axis'],
    [3, 'axis', 'axes', '3 axes'],
  ])('%i %s', (n, singular, plural, text) => {
    expect(countOf(n, singular, plural)).toBe(text);
  });

  it('picks the noun alone and the article', () => {
    expect(noun(1, 'layer')).toBe('layer');
    expect(noun(7, 'layer')).toBe('layers');
    expect(article('int')).toBe('an');
    expect(article('float')).toBe('a');
  });

  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [22, '22nd'],
    [111, '111th'],
  ])('ordinal %i is %s', (n, text) => {
    expect(ordinal(n)).toBe(text);
  });
});
