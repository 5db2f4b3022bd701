/**
 * A part of the app that is loaded only when first used (the Train panel, the export dialog, the
 * trainer) can fail to arrive: the connection dropped, or the site was replaced by a new version
 * whose files have other names. Its failure is said in words, with the file that did not arrive.
 */

/** The browsers' messages for a dynamic import whose file could not be fetched (Chromium, Firefox, Safari) and Vite's for its CSS. */
const CHUNK_FAILURE =
  /Failed to fetch dynamically imported module|error loading dynamically imported module|Importing a module script failed|Unable to preload CSS/i;

/** Whether `error` is a part's code that did not arrive (rather than an error in the code). */
export function isLoadFailure(error: unknown): error is Error {
  return error instanceof Error && CHUNK_FAILURE.test(error.message);
}

/** The file a load failure names (`TrainPanel-CzWIyIUj.js`), or null. */
export function failedFile(error: Error): string | null {
  const url = /\b(?:https?|file):\/\/[^\s'"]+|\/[^\s'"]+\.(?:js|css)\b/.exec(error.message)?.[0];
  if (!url) return null;
  const name = url.split(/[?#]/)[0]?.split('/').pop();
  return name ? name.slice(0, 120) : null;
}

/**
 * What went wrong with `part` ("The Train panel"), in one sentence for people: the file that did
 * not arrive, or the error's own message (never a stack).
 */
export function failureText(part: string, error: unknown): string {
  if (isLoadFailure(error)) {
    const file = failedFile(error);
    return `${part} could not be loaded: its code${file ? ` (${file})` : ''} did not arrive.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${part} stopped with an error: ${message.slice(0, 300)}`;
}
