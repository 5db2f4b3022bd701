import { useId, useRef, type ReactNode } from 'react';
import { appStore, useAppStore } from '../../../state/store';
import { download, serializeSvg } from '../../../viz/export-image';
import { choiceText } from './choice-text';

interface FigureProps {
  readonly title: string;
  /** Names the exported file: "<model>-<file>.svg". */
  readonly file: string;
  /** One or two sentences under the title: what the picture shows and how to use it. */
  readonly caption?: ReactNode;
  /** Buttons and sliders between the caption and the drawing. */
  readonly controls?: ReactNode;
  readonly children: ReactNode;
}

/**
 * The frame every picture shares: title, caption, controls, the drawing (an `svg.figure`, with
 * any canvas inside a foreignObject) and "Export SVG", which saves the frame on screen.
 */
export function Figure({ title, file, caption, controls, children }: FigureProps) {
  const body = useRef<HTMLDivElement>(null);
  const id = useId();
  const model = useAppStore((s) => s.model.name);
  const exportSvg = () => {
    const svg = body.current?.querySelector<SVGSVGElement>('svg.figure');
    if (!svg) {
      appStore.getState().notify('error', 'There is no drawing to export for this layer.');
      return;
    }
    const name = model.replace(/[^\w.-]+/g, '_') || 'model';
    download(`${name}-${file}.svg`, serializeSvg(svg), 'image/svg+xml');
  };
  return (
    <section className="figure-view" aria-labelledby={id}>
      <div className="list-header">
        <h3 id={id}>{title}</h3>
        <div className="button-row">
          <button type="button" onClick={exportSvg}>
            Export SVG
          </button>
        </div>
        {caption && <p className="figure-caption">{caption}</p>}
      </div>
      {controls && <div className="figure-controls">{controls}</div>}
      <div className="figure-body" ref={body}>
        {children}
      </div>
    </section>
  );
}

interface LayerChoiceProps {
  readonly message: string;
  /** Layers the picture can show. */
  readonly layers: readonly string[];
}

/** Shown when the selected layer has nothing to draw: says why and offers layers that do. */
export function LayerChoice({ message, layers }: LayerChoiceProps) {
  const select = useAppStore((s) => s.select);
  return (
    <div className="layer-choice">
      <p>{choiceText(message, layers.length)}</p>
      {layers.length > 0 && (
        <p className="button-row">
          {layers.slice(0, 8).map((name) => (
            <button type="button" key={name} onClick={() => select(name)}>
              {name}
            </button>
          ))}
          {layers.length > 8 && <span className="muted">and {layers.length - 8} more in the list</span>}
        </p>
      )}
    </div>
  );
}
