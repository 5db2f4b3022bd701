import { FrozenMark } from './FrozenMark';
import { useSortable } from '@dnd-kit/sortable';
import { headlineParams } from '../../engine/analysis/param-counts';
import { CSS } from '@dnd-kit/utilities';
import { memo, useCallback } from 'react';
import type { LayerResult } from '../../engine/analysis/result';
import type { Notation } from '../../engine/notation';
import { fieldText, formatCount } from '../../engine/shape/format';
import type { DataFormat } from '../../engine/shape/shape';
import { inputsText, shapeText } from '../format';
import { InnerRows } from './InnerRows';
import { blockWeightsText, weightsText } from './weights-cell';
import { countOf } from '../../engine/text/plural';
import { fieldTitle } from './field-help';
import { RowWhy } from './RowWhy';

interface Props {
  readonly layer: LayerResult;
  readonly format: DataFormat;
  readonly notation: Notation;
  readonly selected: boolean;
  /** The selected layer inside this block (its own name, `conv1`), or null. */
  readonly selectedInner?: string | null;
  /** Whether the block's inner layers are shown. */
  readonly expanded?: boolean;
  readonly onToggle?: (name: string) => void;
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
  selectedInner = null,
  expanded: open = false,
  onToggle,
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
              <span className="flag error" aria-label={countOf(errors, 'error')}>
                !
              </span>
            )}
            {warnings > 0 && errors === 0 && (
              <span className="flag warning" aria-label={countOf(warnings, 'warning')}>
                ?
              </span>
            )}
            {layer.frozen && <FrozenMark />}
          </span>
          <span className="type">{layer.type}</span>
        </span>
        <span className="shape io" data-col="shapes">
          {inputText && <span className="muted">{inputText} → </span>}
          <span data-col="output">{shapeText(layer.output, format, notation)}</span>
        </span>
        <span className="weights" data-col="weights">
          {children.length ? blockWeightsText(children) : weightsText(layer.weights, notation)}
        </span>
        <span className="num" data-col="params">
          {formatCount(headlineParams(layer, notation))}
        </span>
        <span className="num" data-col="macs">
          {layer.macs === null ? '?' : formatCount(layer.macs)}
        </span>
        <span className="num rf" data-col="rf" title={fieldTitle(layer.receptiveField)}>
          <span className="visually-hidden">{fieldTitle(layer.receptiveField)}</span>
          <span aria-hidden="true">{fieldText(layer.receptiveField)}</span>
        </span>
      </button>
      {children.length > 0 ? (
        <button
          type="button"
          className="expand"
          aria-expanded={open}
          onClick={() => onToggle?.(layer.name)}
          aria-label={`${countOf(children.length, 'layer')} inside ${layer.name}`}
        >
          {open ? '▾' : '▸'}
        </button>
      ) : (
        <span />
      )}
      {open && (
        <InnerRows parent={layer} format={format} notation={notation} selected={selectedInner} onSelect={onSelect} />
      )}
      {selected && <RowWhy layer={layer} format={format} notation={notation} />}
    </li>
  );
});
