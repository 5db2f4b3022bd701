import { Fragment, useState } from 'react';
import { headlineParams } from '../../engine/analysis/param-counts';
import type { LayerResult } from '../../engine/analysis/result';
import type { Notation } from '../../engine/notation';
import { fieldText, formatCount } from '../../engine/shape/format';
import type { DataFormat } from '../../engine/shape/shape';
import { selectAnalysis, selectNotation, useAppStore } from '../../state/store';
import { layoutLabel, shapeText, weightLines } from '../format';
import { blockWeightsText } from '../layers/weights-cell';
import { countOf } from '../../engine/text/plural';

interface RowProps {
  readonly layer: LayerResult;
  readonly format: DataFormat;
  readonly notation: Notation;
  readonly depth: number;
}

function LayerRow({ layer, format, notation, depth }: RowProps) {
  const [open, setOpen] = useState(false);
  const children = layer.children ?? [];
  const failed = layer.issues.some((i) => i.severity === 'error');
  return (
    <Fragment>
      <tr
        id={depth === 0 ? `layer-${layer.name}` : undefined}
        className={`${depth ? 'child' : ''} ${failed ? 'failed' : ''}`}
        data-layer={layer.name}
      >
        <th scope="row" style={{ paddingInlineStart: `${0.5 + depth * 1.5}rem` }}>
          {children.length === 0 ? (
            <span className="disclosure-space" aria-hidden="true" />
          ) : (
            <button
              type="button"
              className="disclosure"
              aria-expanded={open}
              onClick={() => setOpen(!open)}
              aria-label={`${countOf(children.length, 'layer')} inside ${layer.name}`}
            >
              {open ? '▾' : '▸'}
            </button>
          )}
          <span className="name">{layer.name}</span>
        </th>
        <td className="type">{layer.type}</td>
        <td className="shape" data-col="output">
          {shapeText(layer.output, format, notation)}
        </td>
        <td className="weights">
          {children.length > 0 ? (
            <span className="muted">{blockWeightsText(children)}</span>
          ) : (
            <ul className="weight-list">
              {weightLines(layer.weights, notation).map((w) => (
                <li key={w.name}>
                  <span className="shape">{w.shape}</span> <span className="muted">{w.name}</span>
                </li>
              ))}
            </ul>
          )}
        </td>
        <td className="num">{formatCount(headlineParams(layer, notation))}</td>
        <td className="num">{layer.macs === null ? '?' : formatCount(layer.macs)}</td>
        <td className="num rf">{fieldText(layer.receptiveField)}</td>
      </tr>
      {open &&
        children.map((c) => <LayerRow key={c.name} layer={c} format={format} notation={notation} depth={depth + 1} />)}
    </Fragment>
  );
}

/** Every layer with its output shape, weights, parameters, MACs and receptive field. */
export function SummaryTable() {
  const analysis = useAppStore(selectAnalysis);
  const notation = useAppStore(selectNotation);
  const format = analysis.model.dataFormat;
  return (
    <div className="table-wrap">
      <table className="summary">
        <caption>
          Layers of {analysis.model.name}: output shapes per example ({layoutLabel(notation)}), weight tensors,
          parameters, multiply-accumulates and receptive field (size / jump / start, in input pixels).
        </caption>
        <thead>
          <tr>
            <th scope="col">Layer</th>
            <th scope="col">Type</th>
            <th scope="col">Output ({layoutLabel(notation)})</th>
            <th scope="col">Weights</th>
            <th scope="col" className="num">
              Params
            </th>
            <th scope="col" className="num">
              MACs
            </th>
            <th scope="col" className="num">
              <abbr title="Receptive field: size / jump / start">RF</abbr>
            </th>
          </tr>
        </thead>
        <tbody>
          {analysis.layers.map((l) => (
            <LayerRow key={l.name} layer={l} format={format} notation={notation} depth={0} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
