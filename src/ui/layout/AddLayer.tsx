import { useEffect, useRef } from 'react';
import { Palette } from '../palette/Palette';

const DRAWER = 'palette-drawer';

/** "Add layer": opens and closes the palette above the list. */
export function AddLayer({ open, onToggle }: { open: boolean; onToggle: (open: boolean) => void }) {
  return (
    <button
      type="button"
      className="add-layer"
      aria-expanded={open}
      aria-controls={open ? DRAWER : undefined}
      onClick={() => onToggle(!open)}
    >
      {open ? 'Close palette' : '+ Add layer'}
    </button>
  );
}

/**
 * The palette, open: focus moves to its first layer kind, Esc closes it and returns focus to
 * "Add layer". It stays open while layers are added, so a stack can be built click by click.
 */
export function PaletteDrawer({ onClose }: { onClose: () => void }) {
  const drawer = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = drawer.current;
    element?.querySelector<HTMLButtonElement>('nav button')?.focus();
    return () => {
      // Back to the button that opened it, unless focus went somewhere on purpose.
      const focused = document.activeElement;
      if (!focused || focused === document.body || element?.contains(focused))
        document.querySelector<HTMLButtonElement>('.add-layer')?.focus();
    };
  }, []);
  return (
    <div
      ref={drawer}
      id={DRAWER}
      className="palette-drawer"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        onClose();
      }}
    >
      <Palette />
    </div>
  );
}
