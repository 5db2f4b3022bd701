import { FrozenMark } from './FrozenMark';
import { innerId } from '../../engine/analysis/inner';
import type { LayerResult } from '../../engine/analysis/result';
import type { Notation } from '../../engine/notation';
import { headlineParams } from '../../engine/analysis/param-counts';
import { fieldText, formatCount } from '../../engine/shape/format';
import type { DataFormat } from '../../engine/shape/shape';
import { shapeText } from '../format';
import { TypeName } from './TypeName';
import { weightsText } from './weights-cell';
import './inner-rows.css';

interface Props {
  readonly parent: LayerResult;
  readonly format: DataFormat;
  readonly notation: Notation;
  /** The selected inner layer's own name (`conv1`), or null. */
  readonly selected: string | null;
  readonly onSelect: (id: string) => void;
}

/**
 * The layers inside a block, each selectable as `block/inner` (click, or Tab and Enter): the
 * pictures and the explanation then show that layer with its real input from inside the block.
 */
export function InnerRows({ parent, format, notation, selected, onSelect }: Props) {
  const children = parent.children ?? [];
  return (
    <ul className="children" aria-label={`Layers inside ${parent.name}`}>
      {children.map((c) => {
        const id = innerId(parent.name, c.name);
        const current = c.name === selected;
        return (
          <li key={c.name} data-row={id} data-layer={id} className={`inner-row${current ? ' selected' : ''}`}>
            <button
              type="button"
              className="inner-main"
              aria-current={current ? 'true' : undefined}
              onClick={() => onSelect(id)}
            >
              <span className="name-cell">
                <span className="name">
                  {c.name}
                  {c.frozen && <FrozenMark />}
                </span>
                <TypeName type={c.type} />
              </span>
              <span className="shape">{shapeText(c.output, format, notation)}</span>
              <span className="weights">{weightsText(c.weights, notation)}</span>
              <span className="num">{formatCount(headlineParams(c, notation))}</span>
              <span className="num">{c.macs === null ? '?' : formatCount(c.macs)}</span>
              <span className="num rf">{fieldText(c.receptiveField)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
