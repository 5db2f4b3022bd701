import { useEffect } from 'react';

/** Scrolls a list's box to centre its selected row; false when there was nothing to do. */
function centreSelected(): boolean {
  const row = document.querySelector('li.layer-row.selected');
  const stack = row?.closest('.stack');
  if (!row || !stack || stack.scrollHeight <= stack.clientHeight) return false;
  const r = row.getBoundingClientRect();
  const s = stack.getBoundingClientRect();
  if (r.top >= s.top && r.bottom <= s.bottom) return false;
  stack.scrollTop += r.top - s.top - (s.height - r.height) / 2;
  return true;
}

/**
 * When a layer list appears (the editor after lecture mode, the Editor tab after Table, lecture
 * mode itself) its selected row is brought into view inside the list's own scroll box; the page
 * itself is not moved. Rows off screen are laid out only once scrolled to (content-visibility),
 * so the row is placed again over the next frames until it stays in view.
 */
export function useRevealSelection(shown: unknown): void {
  useEffect(() => {
    let frame = 0;
    let tries = 4;
    const step = () => {
      if (centreSelected() && --tries > 0) frame = requestAnimationFrame(step);
    };
    // After the frame's styles: lecture mode's larger type is applied by an effect of its own.
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [shown]);
}
