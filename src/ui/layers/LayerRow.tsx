import { FrozenMark } from './FrozenMark';
import { useSortable } from '@dnd-kit/sortable';
import { headlineParams } from '../../engine/analysis/param-counts';
import { CSS } from '@dnd-kit/utilities';
import { memo, useCallback } from 'react';
import { topLevel } from '../../engine/analysis/inner';
import { selectAnalysis, useAppStore } from '../../state/store';
import type { Notation } from '../../engine/notation';
import { fieldText, formatCount } from '../../engine/shape/format';
import type { DataFormat } from '../../engine/shape/shape';
import { inputsText, shapeText } from '../format';
import { InnerRows } from './InnerRows';
import { blockWeightsText, weightsText } from './weights-cell';
import { countOf } from '../../engine/text/plural';
import { fieldTitle } from './field-help';
import { RowWhy } from './RowWhy';
import { TypeName } from './TypeName';

interface Props {
  readonly name: string;
  /** Whether the layer has errors, or else warnings (its row is marked). */
  readonly flag: 'error' | 'warning' | null;
  /** How many layers the block holds (0: not a block). */
  readonly blockSize: number;
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

/** The analysis of the top-level layer `name`: a row's parts re-render when it changes, and only they. */
const useLayer = (name: string) => useAppStore((s) => topLevel(selectAnalysis(s), name));

/**
 * One layer: input → output shape, weights, parameters, MACs and receptive field, with actions.
 *
 * The row itself (a drag-and-drop item) takes only what rarely changes; its cells read their
 * layer's analysis themselves, so an edit that changes a receptive field downstream redraws those
 * cells, not every row's drag-and-drop machinery (ResNet-110: 30 rows an edit).
 */
export const LayerRow = memo(function LayerRow({
  name,
  flag,
  blockSize,
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
    id: name,
  });
  const ref = useCallback(
    (element: HTMLLIElement | null) => {
      setNodeRef(element);
      measure?.(element);
    },
    [setNodeRef, measure],
  );
  return (
    <li
      ref={ref}
      data-row={name}
      data-layer={name}
      data-index={index}
      className={`layer-row${selected ? ' selected' : ''}${flag ? ` has-${flag}` : ''}${isDragging ? ' dragging' : ''}`}
      style={{
        transform: CSS.Transform.toString(transform),
        transition,
        ...(top === undefined ? {} : { position: 'absolute', top, left: 0, right: 0 }),
      }}
      onKeyDown={(e) => {
        if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
          e.preventDefault();
          onMove(name, e.key === 'ArrowUp' ? -1 : 1);
        } else if (e.key === 'Delete' && (e.target as HTMLElement).classList.contains('row-main')) {
          e.preventDefault();
          onRemove(name);
        }
      }}
    >
      <button
        type="button"
        ref={setActivatorNodeRef}
        className="handle"
        aria-label={`Reorder ${name} (space, then arrows)`}
        {...attributes}
        {...listeners}
      >
        ⠿
      </button>
      <RowMain name={name} format={format} notation={notation} selected={selected} onSelect={onSelect} />
      {blockSize > 0 ? (
        <button
          type="button"
          className="expand"
          aria-expanded={open}
          onClick={() => onToggle?.(name)}
          aria-label={`${countOf(blockSize, 'layer')} inside ${name}`}
        >
          {open ? '▾' : '▸'}
        </button>
      ) : (
        <span />
      )}
      {open && (
        <BlockInside name={name} format={format} notation={notation} selected={selectedInner} onSelect={onSelect} />
      )}
      {selected && <WhyBelow name={name} format={format} notation={notation} />}
    </li>
  );
});

/** The row's button: name, type, shapes, weights, parameters, MACs and receptive field. */
const RowMain = memo(function RowMain({
  name,
  format,
  notation,
  selected,
  onSelect,
}: {
  readonly name: string;
  readonly format: DataFormat;
  readonly notation: Notation;
  readonly selected: boolean;
  readonly onSelect: (name: string) => void;
}) {
  const layer = useLayer(name);
  if (!layer) return <span />;
  const errors = layer.issues.filter((i) => i.severity === 'error').length;
  const warnings = layer.issues.length - errors;
  const inputText = inputsText(layer.inputShapes, format, notation);
  const children = layer.children ?? [];
  const field = fieldTitle(layer.receptiveField);
  return (
    <button
      type="button"
      className="row-main"
      aria-current={selected ? 'true' : undefined}
      onClick={() => onSelect(name)}
      aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown Delete"
    >
      <span className="name-cell">
        <span className="name">
          {name}
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
        <TypeName type={layer.type} />
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
      <span className="num rf" data-col="rf" title={field}>
        <span className="visually-hidden">{field}</span>
        <span aria-hidden="true">{fieldText(layer.receptiveField)}</span>
      </span>
    </button>
  );
});

/** An unfolded block's inner layers. */
function BlockInside({
  name,
  ...rest
}: {
  readonly name: string;
  readonly format: DataFormat;
  readonly notation: Notation;
  readonly selected: string | null;
  readonly onSelect: (id: string) => void;
}) {
  const layer = useLayer(name);
  return layer ? <InnerRows parent={layer} {...rest} /> : null;
}

/** Why the selected layer's shape is what it is, under its row (on a phone). */
function WhyBelow({
  name,
  ...rest
}: {
  readonly name: string;
  readonly format: DataFormat;
  readonly notation: Notation;
}) {
  const layer = useLayer(name);
  return layer ? <RowWhy layer={layer} {...rest} /> : null;
}
