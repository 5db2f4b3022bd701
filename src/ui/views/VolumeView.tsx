import { useCallback, useMemo } from 'react';
import { appStore, selectAnalysis, selectNotation, selectSelected, useAppStore } from '../../state/store';
import { download, svgToPng } from '../../viz/export-image';
import { createVolumes, MAX_DETAILED } from '../../viz/volumes';
import { volumesOf } from '../../viz/volume-data';
import { useD3View } from '../hooks/useD3View';
import { axesText } from '../format';

/** The tensor-volume diagram of the model, with SVG and PNG export. */
export function VolumeView() {
  const analysis = useAppStore(selectAnalysis);
  const notation = useAppStore(selectNotation);
  const selected = useAppStore(selectSelected);
  const volumes = useMemo(() => volumesOf(analysis, notation), [analysis, notation]);
  const data = useMemo(() => ({ volumes, selected }), [volumes, selected]);
  const create = useCallback(
    (el: HTMLDivElement) => createVolumes(el, { onSelect: (name) => appStore.getState().select(name) }),
    [],
  );
  const { container, view } = useD3View(create, data);
  const name = analysis.model.name.replace(/[^\w.-]+/g, '_') || 'model';
  const exportSvg = () => view.current && download(`${name}-volumes.svg`, view.current.toSvg(), 'image/svg+xml');
  const exportPng = async () => {
    if (!view.current) return;
    try {
      download(`${name}-volumes.png`, await svgToPng(view.current.toSvg()));
    } catch (e) {
      appStore.getState().notify('error', (e as Error).message);
    }
  };
  return (
    <section className="volume-view" aria-labelledby="volumes-title">
      <div className="list-header">
        <h2 id="volumes-title">Tensor volumes</h2>
        <p className="muted">
          {volumes.length > MAX_DETAILED
            ? `${volumes.length} volumes: drawn at one size to stay readable. `
            : `${axesText(notation)}, on log scales; each kernel drawn in the volume it reads. `}
          Click a volume to select its layer.
        </p>
        <div className="button-row">
          <button type="button" onClick={exportSvg}>
            Export SVG
          </button>
          <button type="button" onClick={() => void exportPng()}>
            Export PNG
          </button>
        </div>
      </div>
      <div
        className="volume-scroll"
        ref={container}
        tabIndex={0}
        role="group"
        aria-label="Tensor volume diagram (scrolls sideways)"
      />
    </section>
  );
}
