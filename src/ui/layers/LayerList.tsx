import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type DragEndEvent,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useLayoutEffect, useMemo, useRef } from 'react';
import { compact, formatCount } from '../../engine/shape/format';
import { selectAnalysis, selectNotation, selectSelected, useAppStore } from '../../state/store';
import { createSkipArcs, type ArcData } from '../../viz/skip-arcs';
import { layoutLabel, shapeText } from '../format';
import { useD3View } from '../hooks/useD3View';
import { LayerRow } from './LayerRow';
import { useLayerActions } from './useLayerActions';
import { rowsOf, skipEdges, type Row } from './rows';

const EMPTY_ARCS: ArcData = { rows: [], edges: [], height: 0, selected: null };

/**
 * The model as an editable stack: drag (or keyboard) to reorder, buttons to move, duplicate and
 * delete, groups (ResNet stages) that fold, and skip connections drawn as arcs beside the stack.
 */
export function LayerList() {
  const analysis = useAppStore(selectAnalysis);
  const notation = useAppStore(selectNotation);
  const selected = useAppStore(selectSelected);
  const collapsed = useAppStore((s) => s.collapsed);
  const toggleGroup = useAppStore((s) => s.toggleGroup);
  const rows = useMemo(() => rowsOf(analysis, collapsed), [analysis, collapsed]);
  const edges = useMemo(() => skipEdges(rows), [rows]);
  const list = useRef<HTMLOListElement>(null);
  const { container, view: arcs } = useD3View(createSkipArcs, EMPTY_ARCS);
  const format = analysis.model.dataFormat;
  const count = analysis.model.layers.length;

  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    const measured = Array.from(element.querySelectorAll<HTMLElement>(':scope > [data-row]')).map((li) => ({
      name: li.dataset['row'] as string,
      y: li.offsetTop + Math.min(li.offsetHeight, 44) / 2,
    }));
    arcs.current?.update({ rows: measured, edges, height: element.offsetHeight, selected });
  }, [rows, edges, selected, notation, arcs]);

  // Stepping through layers (lecture mode, the volume diagram) keeps the selected row in view.
  const shownSelection = useRef(selected);
  useLayoutEffect(() => {
    if (!selected || shownSelection.current === selected) return;
    shownSelection.current = selected;
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    list.current
      ?.querySelector(`[data-row="${CSS.escape(selected)}"]`)
      ?.scrollIntoView({ block: 'nearest', behavior: reduce ? 'auto' : 'smooth' });
  }, [selected]);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const actions = useLayerActions();
  const onDragEnd = (event: DragEndEvent) => {
    const over = event.over?.id;
    if (!over || over === event.active.id) return;
    const to = analysis.model.layers.findIndex((l) => l.name === over);
    actions.moveTo(String(event.active.id), to);
  };

  return (
    <section className="layer-list" aria-labelledby="layers-title">
      <div className="list-header">
        <h2 id="layers-title">Layers</h2>
        <p className="muted">
          {count} layers · {formatCount(analysis.totals.params)} parameters ·{' '}
          {analysis.totals.macs === null ? '? MACs' : `${compact(analysis.totals.macs)} MACs`}
        </p>
      </div>
      <div className="columns" aria-hidden="true">
        <span>Layer</span>
        <span>In → out ({layoutLabel(notation)})</span>
        <span>Weights</span>
        <span className="num">Params</span>
        <span className="num">MACs</span>
        <span className="num">RF</span>
      </div>
      <div className="stack">
        <div className="arc-gutter" ref={container} />
        <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
          <SortableContext
            items={rows.filter((r) => r.kind === 'layer').map((r) => r.key)}
            strategy={verticalListSortingStrategy}
          >
            <ol ref={list} className="rows">
              {rows.map((row) =>
                row.kind === 'group' ? (
                  <GroupRow key={row.key} row={row} format={format} notation={notation} onToggle={toggleGroup} />
                ) : (
                  <LayerRow
                    key={row.key}
                    layer={row.layer}
                    format={format}
                    notation={notation}
                    selected={row.layer.name === selected}
                    onSelect={actions.select}
                    onMove={actions.move}
                    onRemove={actions.remove}
                  />
                ),
              )}
            </ol>
          </SortableContext>
        </DndContext>
      </div>
    </section>
  );
}

function GroupRow({
  row,
  format,
  notation,
  onToggle,
}: {
  row: Extract<Row, { kind: 'group' }>;
  format: 'channels_last' | 'channels_first';
  notation: 'pytorch' | 'keras';
  onToggle: (g: string) => void;
}) {
  const last = row.members[row.members.length - 1];
  const params = row.members.reduce((n, m) => n + m.params, 0);
  return (
    <li data-row={row.key} className="group-row">
      <button type="button" aria-expanded={!row.collapsed} onClick={() => onToggle(row.group)}>
        <span aria-hidden="true">{row.collapsed ? '▸' : '▾'}</span> {row.group}
        <span className="muted">
          {' '}
          · {row.members.length} layers → {shapeText(last?.output ?? null, format, notation)} · {formatCount(params)}{' '}
          parameters
        </span>
      </button>
    </li>
  );
}
