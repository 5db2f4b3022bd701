/**
 * The message without its closing "Pick a convolution:" when there is nothing to pick, saying so
 * instead (a model of 3-D layers only, or one with no convolution).
 */
export function choiceText(message: string, choices: number): string {
  if (choices > 0) return message;
  const pick = /(^|\s)Pick [^.:]*:$/.exec(message);
  const reason = pick ? message.slice(0, pick.index).trim() : message;
  return `${reason}${reason ? ' ' : ''}This model has no layer this picture draws.`;
}
