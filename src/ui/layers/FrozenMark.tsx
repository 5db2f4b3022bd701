/** The mark of a frozen layer's row: its accessible name says "frozen". */
export function FrozenMark() {
  return (
    <span className="flag frozen" role="img" aria-label="frozen" title="Frozen: training leaves its weights alone">
      ❄
    </span>
  );
}
