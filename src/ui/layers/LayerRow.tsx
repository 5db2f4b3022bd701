import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { memo, useCallback, useState } from 'react';
import type { LayerResult } from '../../engine/analysis/result';
import type { Notation } from '../../engine/notation';
import { fieldText, formatCount } from '../../engine/shape/format';
import type { DataFormat } from '../../engine/shape/shape';
import { inputsText, shapeText, weightLines } from '../format';
import { RowWhy } from './RowWhy';

interface Props {
  readonly layer: LayerResult;
  readonly format: DataFormat;
  readonly notation: Notation;
  readonly selected: boolean;
  readonly onSelect: (name: string) => void;
  readonly onMove: (name: string, delta: number) => void;
  readonly onRemove: (name: string) => void;
  /** When the list is windowed: the row's index, top and the window's measuring ref. */
  readonly index?: number;
  readonly top?: number;
  readonly measure?: (element: HTMLElement | null) => void;
}

/** One layer: input → output shape, weights, parameters, MACs and receptive field, with actions. */
export const LayerRow = memo(function LayerRow({
  layer,
  format,
  notation,
  selected,
  onSelect,
  onMove,
  onRemove,
  index,
  top,
  measure,
}: Props) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: layer.name,
  });
  const ref = useCallback(
    (element: HTMLLIElement | null) => {
      setNodeRef(element);
      measure?.(element);
    },
    [setNodeRef, measure],
  );
  const [open, setOpen] = useState(false);
  const errors = layer.issues.filter((i) => i.severity === 'error').length;
  const warnings = layer.issues.length - errors;
  const inputText = inputsText(layer.inputShapes, format, notation);
  const children = layer.children ?? [];
  return (
    <li
      ref={ref}
      data-row={layer.name}
      data-layer={layer.name}
      data-index={index}
      className={`layer-row${selected ? ' selected' : ''}${errors ? ' has-error' : warnings ? ' has-warning' : ''}${isDragging ? ' dragging' : ''}`}
      style={{
        transform: CSS.Transform.toString(transform),
        transition,
        ...(top === undefined ? {} : { position: 'absolute', top, left: 0, right: 0 }),
      }}
      onKeyDown={(e) => {
        if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
          e.preventDefault();
          onMove(layer.name, e.key === 'ArrowUp' ? -1 : 1);
        } else if (e.key === 'Delete' && (e.target as HTMLElement).classList.contains('row-main')) {
          e.preventDefault();
          onRemove(layer.name);
        }
      }}
    >
      <button
        type="button"
        ref={setActivatorNodeRef}
        className="handle"
        aria-label={`Reorder ${layer.name} (space, then arrows)`}
        {...attributes}
        {...listeners}
      >
        ⠿
      </button>
      <button
        type="button"
        className="row-main"
        aria-current={selected ? 'true' : undefined}
        onClick={() => onSelect(layer.name)}
        aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown Delete"
      >
        <span className="name-cell">
          <span className="name">
            {layer.name}
            {errors > 0 && (
              <span className="flag error" aria-label={`${errors} error${errors > 1 ? 's' : ''}`}>
                !
              </span>
            )}
            {warnings > 0 && errors === 0 && (
              <span className="flag warning" aria-label={`${warnings} warning${warnings > 1 ? 's' : ''}`}>
                ?
              </span>
            )}
          </span>
          <span className="type">{layer.type}</span>
        </span>
        <span className="shape io" data-col="shapes">
          {inputText && <span className="muted">{inputText} → </span>}
          <span data-col="output">{shapeText(layer.output, format, notation)}</span>
        </span>
        <span className="weights" data-col="weights">
          {children.length
            ? `${layer.weights.length} tensors`
            : weightLines(layer.weights, notation)
                .map((w) => w.shape)
                .join(' · ')}
        </span>
        <span className="num" data-col="params">
          {formatCount(layer.params)}
        </span>
        <span className="num" data-col="macs">
          {layer.macs === null ? '?' : formatCount(layer.macs)}
        </span>
        <span className="num rf" data-col="rf">
          {fieldText(layer.receptiveField)}
        </span>
      </button>
      {children.length > 0 ? (
        <button
          type="button"
          className="expand"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          aria-label={`${children.length} layers inside ${layer.name}`}
        >
          {open ? '▾' : '▸'}
        </button>
      ) : (
        <span />
      )}
      {open && (
        <ul className="children" aria-label={`Layers inside ${layer.name}`}>
          {children.map((c) => (
            <li key={c.name} data-layer={`${layer.name}/${c.name}`}>
              <span className="name-cell">
                <span className="name">{c.name}</span>
                <span className="type">{c.type}</span>
              </span>
              <span className="shape">{shapeText(c.output, format, notation)}</span>
              <span className="weights">
                {weightLines(c.weights, notation)
                  .map((w) => w.shape)
                  .join(' · ')}
              </span>
              <span className="num">{formatCount(c.params)}</span>
              <span className="num">{c.macs === null ? '?' : formatCount(c.macs)}</span>
              <span className="num rf">{fieldText(c.receptiveField)}</span>
            </li>
          ))}
        </ul>
      )}
      {selected && <RowWhy layer={layer} format={format} notation={notation} />}
    </li>
  );
});
