import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { headlineParams } from '../../engine/analysis/param-counts';
import { splitInnerId } from '../../engine/analysis/inner';
import type { LayerResult } from '../../engine/analysis/result';
import { compact, formatCount } from '../../engine/shape/format';
import { appStore, selectAnalysis, selectNotation, selectSelected, useAppStore } from '../../state/store';
import { layoutArcs } from '../../viz/arc-layout';
import { createSkipArcs, type ArcData } from '../../viz/skip-arcs';
import { layoutLabel } from '../format';
import { useD3View } from '../hooks/useD3View';
import { dragAnnouncements, dragInstructions } from './drag-announcements';
import { GroupRow } from './GroupRow';
import { LayerRow } from './LayerRow';
import { useLayerActions } from './useLayerActions';
import { useRowCentres } from './useRowCentres';
import { useRowWindow } from './useRowWindow';
import { rowsOf, skipEdges } from './rows';
import { countOf } from '../../engine/text/plural';
import { FIELD_HELP } from './field-help';

// Constant, so that the sensors and every row's drag context stay the same object across
// renders: a new one would re-render every row on each click.
const POINTER = { activationConstraint: { distance: 4 } };
const KEYBOARD = { coordinateGetter: sortableKeyboardCoordinates };
const layerNames = () => appStore.getState().model.layers.map((l) => l.name);
const ACCESSIBILITY = { announcements: dragAnnouncements(layerNames), screenReaderInstructions: dragInstructions };

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
  const expanded = useAppStore((s) => s.expanded);
  const toggleExpanded = useAppStore((s) => s.toggleExpanded);
  // A layer inside a block is shown in its block's row: that row is kept, scrolled to, its arcs lit.
  const inner = useMemo(() => (selected === null ? null : splitInnerId(analysis, selected)), [analysis, selected]);
  const selectedRow = inner?.parent ?? selected;
  const rows = useMemo(() => rowsOf(analysis, collapsed), [analysis, collapsed]);
  const keys = useMemo(() => rows.map((r) => r.key), [rows]);
  // The same list while the order is the same: every row's drag-and-drop hook re-renders on a new one.
  const sortableText = JSON.stringify(rows.flatMap((r) => (r.kind === 'layer' ? [r.key] : [])));
  const sortable = useMemo(() => JSON.parse(sortableText) as string[], [sortableText]);
  // Laid out once per list of rows; a new selection only restyles the arcs it touches.
  const layout = useMemo(() => layoutArcs(keys, skipEdges(rows)), [keys, rows]);
  const list = useRef<HTMLOListElement>(null);
  const stack = useRef<HTMLDivElement>(null);
  const [dragged, setDragged] = useState<string | null>(null);
  // The rows either side of the focused one stay in the page, so that Tab and Shift+Tab always
  // have a row to go to, however fast they are pressed (the window follows a scroll a frame later).
  const [focusedAt, setFocusedAt] = useState(-1);
  const keep = [
    selectedRow === null ? -1 : keys.indexOf(selectedRow),
    dragged === null ? -1 : keys.indexOf(dragged),
    ...(focusedAt < 0 ? [] : [focusedAt - 1, focusedAt, focusedAt + 1].filter((i) => i < rows.length)),
  ];
  const rowWindow = useRowWindow(rows, stack, keep);
  const { y, height } = useRowCentres(list, rowWindow, [rows, notation]);
  const arcData = useMemo<ArcData>(
    () => ({ layout, y, height, selected: selectedRow }),
    [layout, y, height, selectedRow],
  );
  const { container } = useD3View(createSkipArcs, arcData);
  const format = analysis.model.dataFormat;
  const count = analysis.model.layers.length;

  // Stepping through layers (lecture mode, the volume diagram) keeps the selected row in view.
  // A windowed list jumps: rows measured on the way would cut a smooth scroll short.
  const shownSelection = useRef(selected);
  const windowed = rowWindow.windowed;
  useLayoutEffect(() => {
    if (!selected || shownSelection.current === selected) return;
    shownSelection.current = selected;
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    list.current
      ?.querySelector(`[data-row="${CSS.escape(selected)}"]`)
      ?.scrollIntoView({ block: 'nearest', behavior: reduce || windowed ? 'auto' : 'smooth' });
  }, [selected, windowed]);

  const sensors = useSensors(useSensor(PointerSensor, POINTER), useSensor(KeyboardSensor, KEYBOARD));
  const actions = useLayerActions();
  const removeFromRow = useRemoveKeepingFocus(list, rows, actions.remove);
  const onDragStart = (event: DragStartEvent) => setDragged(String(event.active.id));
  const onDragEnd = (event: DragEndEvent) => {
    setDragged(null);
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
          {countOf(count, 'layer')} · {countOf(headlineParams(analysis.totals, notation), 'parameter')} ·{' '}
          {analysis.totals.macs === null ? '? MACs' : `${compact(analysis.totals.macs)} MACs`}
        </p>
        {layout.arcs === null && (
          <p className="arc-note" role="status">
            {formatCount(layout.count)} connections skip rows in this model, too many to draw beside the list: only the
            selected layer’s are drawn.
          </p>
        )}
      </div>
      <div className="columns" aria-hidden="true">
        <span>Layer</span>
        <span>In → out ({layoutLabel(notation)})</span>
        <span>Weights</span>
        <span className="num">Params</span>
        <span className="num">MACs</span>
        <span className="num" title={FIELD_HELP}>
          RF <span className="rf-legend">size / jump / start</span>
        </span>
      </div>
      <div ref={stack} className={rowWindow.windowed ? 'stack windowed' : 'stack'}>
        <div className="arc-gutter" ref={container} />
        <DndContext
          sensors={sensors}
          collisionDetection={closestCenter}
          onDragStart={onDragStart}
          onDragEnd={onDragEnd}
          onDragCancel={() => setDragged(null)}
          accessibility={ACCESSIBILITY}
        >
          <SortableContext items={sortable} strategy={verticalListSortingStrategy}>
            <ol
              ref={list}
              className="rows"
              onFocus={(event) => setFocusedAt(rowIndexOf(event.target))}
              style={rowWindow.windowed ? { position: 'relative', height: rowWindow.height } : undefined}
            >
              {rowWindow.shown.map(({ row, index, top }) => {
                const place = rowWindow.windowed ? { index, top: top ?? 0, measure: rowWindow.measure } : {};
                return row.kind === 'group' ? (
                  <GroupRow
                    key={row.key}
                    row={row}
                    format={format}
                    notation={notation}
                    onToggle={toggleGroup}
                    {...place}
                  />
                ) : (
                  <LayerRow
                    key={row.key}
                    name={row.layer.name}
                    flag={flagOf(row.layer)}
                    blockSize={row.layer.children?.length ?? 0}
                    format={format}
                    notation={notation}
                    selected={row.layer.name === selected}
                    selectedInner={row.layer.name === inner?.parent ? inner.inner : null}
                    expanded={expanded.includes(row.layer.name)}
                    onToggle={toggleExpanded}
                    onSelect={actions.select}
                    onMove={actions.move}
                    onRemove={removeFromRow}
                    {...place}
                  />
                );
              })}
            </ol>
          </SortableContext>
        </DndContext>
      </div>
    </section>
  );
}

/** Whether a layer's row is marked for errors, or else for warnings. */
function flagOf(layer: LayerResult): 'error' | 'warning' | null {
  if (layer.issues.some((i) => i.severity === 'error')) return 'error';
  return layer.issues.length ? 'warning' : null;
}

/** The place in a windowed list of the row holding `element` (-1 outside one). */
function rowIndexOf(element: Element): number {
  const index = element.closest<HTMLElement>('.rows > li')?.dataset['index'];
  return index === undefined ? -1 : Number(index);
}

/**
 * Delete pressed on a row: removes the layer and moves the keyboard focus to the row that took
 * its place (the next one, or the previous one when it was the last), not to the page's body.
 */
function useRemoveKeepingFocus(
  list: RefObject<HTMLOListElement | null>,
  rows: unknown,
  remove: (name: string) => void,
) {
  const pending = useRef<string | null>(null);
  useLayoutEffect(() => {
    const name = pending.current;
    if (name === null) return;
    pending.current = null;
    const target =
      list.current?.querySelector<HTMLElement>(`[data-row="${CSS.escape(name)}"] .row-main`) ??
      list.current?.querySelector<HTMLElement>('.row-main');
    target?.focus();
  }, [list, rows]);
  return useCallback(
    (name: string) => {
      const names = layerNames();
      const at = names.indexOf(name);
      pending.current = names[at + 1] ?? names[at - 1] ?? null;
      remove(name);
    },
    [remove],
  );
}
