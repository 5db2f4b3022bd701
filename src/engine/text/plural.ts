import { formatCount } from '../shape/format';

const rules = new Intl.PluralRules('en-US');

/**
 * The noun for a count, in the right number by English plural rules (`Intl.PluralRules`):
 * `noun(1, 'filter')` is "filter", `noun(2, 'filter')` "filters", `noun(3, 'axis', 'axes')` "axes".
 */
export function noun(n: number, singular: string, plural = `${singular}s`): string {
  return rules.select(n) === 'one' ? singular : plural;
}

/** A count with its noun: "1 filter", "64 filters", "1,024 channels", "2 axes". */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${noun(n, singular, plural)}`;
}

/** "a" or "an" before a word, by its first letter's sound as written: "an int", "a float". */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** "1st", "2nd", "3rd", "4th", "11th", "22nd": an ordinal number in English. */
export function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
