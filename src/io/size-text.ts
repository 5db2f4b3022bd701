/**
 * A size in characters of text, for people: "16 MB", "50.2 MB", "512 KB" (1 MB = 2^20; kilobytes
 * rounded up to a tenth, so a size just over a limit never reads as the limit).
 */
export function sizeText(chars: number): string {
  const mb = chars / 2 ** 20;
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  const kb = chars / 2 ** 10;
  const tenths = Math.ceil(kb * 10) / 10;
  return kb >= 1 ? `${Number.isInteger(tenths) ? tenths : tenths.toFixed(1)} KB` : `${chars} characters`;
}
