import { explainLayer } from '../../engine/analysis/explain';
import type { LayerResult } from '../../engine/analysis/result';
import type { Notation } from '../../engine/notation';
import type { DataFormat } from '../../engine/shape/shape';
import { useAppStore } from '../../state/store';
import { NARROW, useMedia } from '../hooks/useMedia';

/** Scrolls to a part of the page and puts the keyboard in it (the address keeps its model). */
function goTo(selector: string, focus: string) {
  const target = document.querySelector<HTMLElement>(selector);
  if (!target) return;
  target.scrollIntoView({ block: 'start' });
  target.querySelector<HTMLElement>(focus)?.focus({ preventScroll: true });
}

/**
 * On a phone the inspector is a screen away: the selected row says why its shape is what it is
 * right under itself, with a way to its picture and fields. Wider screens show it beside the list.
 */
export function RowWhy({
  layer,
  format,
  notation,
}: {
  readonly layer: LayerResult;
  readonly format: DataFormat;
  readonly notation: Notation;
}) {
  const narrow = useMedia(NARROW);
  const elsewhere = useAppStore((s) => s.lecture || s.embedded);
  if (!narrow || elsewhere) return null;
  return (
    <div className="row-why" data-testid="row-why">
      <p>
        <span className="visually-hidden">Why this shape: </span>
        {explainLayer(layer, format, notation)}
      </p>
      <p className="button-row">
        <button
          type="button"
          className="link"
          onClick={() => goTo('.views-panel', '[role="tab"][aria-selected="true"]')}
        >
          Picture ↓
        </button>
        <button type="button" className="link" onClick={() => goTo('.inspector', 'input, select, textarea')}>
          Edit ↓
        </button>
      </p>
    </div>
  );
}
