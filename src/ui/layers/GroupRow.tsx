import { memo } from 'react';
import { headlineParams } from '../../engine/analysis/param-counts';
import type { DataFormat } from '../../engine/shape/shape';
import type { Notation } from '../../engine/notation';
import { shapeText } from '../format';
import type { Row } from './rows';
import { countOf } from '../../engine/text/plural';

interface Props {
  readonly row: Extract<Row, { kind: 'group' }>;
  readonly format: DataFormat;
  readonly notation: Notation;
  readonly onToggle: (group: string) => void;
  /** When the list is windowed: the row's index, top and the window's measuring ref. */
  readonly index?: number;
  readonly top?: number;
  readonly measure?: (element: HTMLElement | null) => void;
}

/** The header of a group of layers (a ResNet stage): folds and unfolds it. */
export const GroupRow = memo(function GroupRow({ row, format, notation, onToggle, index, top, measure }: Props) {
  const last = row.members[row.members.length - 1];
  const params = row.members.reduce((n, m) => n + headlineParams(m, notation), 0);
  return (
    <li
      ref={measure}
      data-row={row.key}
      data-index={index}
      className="group-row"
      style={top === undefined ? undefined : { position: 'absolute', top, left: 0, right: 0 }}
    >
      <button type="button" aria-expanded={!row.collapsed} onClick={() => onToggle(row.group)}>
        <span aria-hidden="true">{row.collapsed ? '▸' : '▾'}</span> {row.group}
        <span className="muted">
          {' '}
          · {countOf(row.members.length, 'layer')} → {shapeText(last?.output ?? null, format, notation)} ·{' '}
          {countOf(params, 'parameter')}
        </span>
      </button>
    </li>
  );
});
