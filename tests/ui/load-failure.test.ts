import { describe, expect, it } from 'vitest';
import { failedFile, failureText, isLoadFailure } from '../../src/ui/recovery/load-failure';

describe('a part whose code did not arrive, in words', () => {
  it.each([
    // Chromium, Firefox and Safari on a dynamic import, and Vite on its style sheet.
    [
      'Failed to fetch dynamically imported module: https://x.org/app/assets/TrainPanel-CzWIyIUj.js',
      'TrainPanel-CzWIyIUj.js',
    ],
    ['error loading dynamically imported module: https://x.org/assets/ExportDialog-Bb_-9.js', 'ExportDialog-Bb_-9.js'],
    ['Importing a module script failed.', null],
    ['Unable to preload CSS for /app/assets/TrainPanel-Dq-TyuV0.css', 'TrainPanel-Dq-TyuV0.css'],
  ])('%s names %s', (message, file) => {
    const error = new TypeError(message);
    expect(isLoadFailure(error)).toBe(true);
    expect(failedFile(error)).toBe(file);
    expect(failureText('The Train panel', error)).toBe(
      `The Train panel could not be loaded: its code${file ? ` (${file})` : ''} did not arrive.`,
    );
  });

  it('says an error in the code as that error, without its stack, and cuts a long message', () => {
    const error = new RangeError('Invalid array length');
    expect(isLoadFailure(error)).toBe(false);
    expect(failureText('The export dialog', error)).toBe(
      'The export dialog stopped with an error: Invalid array length',
    );
    expect(failureText('The export dialog', new Error('x'.repeat(1000)))).toHaveLength(
      'The export dialog stopped with an error: '.length + 300,
    );
    expect(failureText('The Train panel', 'a string was thrown')).toBe(
      'The Train panel stopped with an error: a string was thrown',
    );
  });
});
