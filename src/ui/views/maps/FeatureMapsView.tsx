import { useEffect, useMemo, useRef, useState } from 'react';
import { findLayer, layerIds, ownerOf } from '../../../engine/analysis/inner';
import type { Analysis } from '../../../engine/analysis/result';
import type { Notation } from '../../../engine/notation';
import { MapsClient, type MapsAnswer } from '../../../train/maps/client';
import { selectAnalysis, selectNotation, selectSelected, useAppStore } from '../../../state/store';
import { createFeatureMaps, type FeatureMapsData, type MapRow } from '../../../viz/feature-maps';
import { mnistSample, type SampleImage } from '../../../viz/samples';
import { shapeText } from '../../format';
import { useD3View } from '../../hooks/useD3View';
import { Figure } from '../figure/Figure';
import { fitImage, imageInput, overBudget } from './fit';
import { PicturePicker, type Picked } from './PicturePicker';
import './maps.css';

/** Channels drawn per layer; the rest are counted ("+k more"). */
const SHOWN = 8;

const CAPTION =
  'The model run on one real picture with the weights training would start from (He-normal convolutions, seeded, so the same model always shows the same maps): each row is a layer, each small picture one output channel, black its lowest value and white its highest. Click a row to select its layer.';

/**
 * Feature maps before any training: the model on screen, with its initial weights, applied to a
 * real MNIST digit, a CIFAR-10 image or the user's picture, in a worker; every layer's first
 * channels as grey pictures, the selected layer's row outlined.
 */
export function FeatureMapsView() {
  const analysis = useAppStore(selectAnalysis);
  const notation = useAppStore(selectNotation);
  const selected = useAppStore(selectSelected);
  const expanded = useAppStore((s) => s.expanded);
  const select = useAppStore((s) => s.select);
  const input = useMemo(() => imageInput(analysis), [analysis]);
  const refusal = input.ok ? overBudget(analysis) : input.why;
  const colour = input.ok && input.channels === 3;
  const [picked, setPicked] = useState<Picked>({ kind: 'sample', set: 'auto', index: 0 });
  const [cifar, setCifar] = useState<{ cifarSample: (i: number) => SampleImage } | null>(null);
  const [result, setResult] = useState<{ request: object; answer: MapsAnswer } | null>(null);
  const client = useRef<MapsClient | null>(null);
  const asked = useRef<object | null>(null);

  // The picture: a digit for grey models, a CIFAR-10 image for colour ones, unless one is chosen.
  const set = picked.kind === 'file' ? 'file' : picked.set === 'auto' ? (colour ? 'cifar' : 'mnist') : picked.set;
  useEffect(() => {
    if (set === 'cifar' && !cifar) void import('../../../viz/samples/cifar').then(setCifar);
  }, [set, cifar]);
  const sample = useMemo((): SampleImage | null => {
    const index = picked.kind === 'sample' && picked.set !== 'auto' ? picked.index : null;
    if (picked.kind === 'file') return picked.image;
    if (set === 'mnist') return mnistSample(index ?? 7);
    return cifar ? cifar.cifarSample(index ?? 3) : null;
  }, [picked, set, cifar]);

  const image = useMemo(() => (input.ok && sample ? fitImage(sample, input) : null), [input, sample]);
  const request = useMemo(() => ({ model: analysis.model, image }), [analysis.model, image]);
  useEffect(() => {
    if (!request.image || refusal) return;
    client.current ??= new MapsClient((answer) => setResult({ request: asked.current ?? {}, answer }));
    asked.current = request;
    const { rgba: _shown, ...pixels } = request.image;
    client.current.run(request.model, pixels, SHOWN);
  }, [request, refusal]);
  useEffect(() => () => client.current?.terminate(), []);
  const answer = result?.request === request ? result.answer : null;

  const data = useMemo<FeatureMapsData>(() => {
    const rows = answer?.ok && image ? rowsOf(analysis, answer, image, expanded, notation) : [];
    const shown = new Set(rows.map((r) => r.id));
    const lit = selected && !shown.has(selected) ? ownerOf(analysis, selected) : selected;
    return { rows, selected: lit };
  }, [analysis, answer, image, expanded, notation, selected]);
  const { container } = useD3View((element) => createFeatureMaps(element, { onSelect: select }), data);

  const status = refusal
    ? null
    : !answer
      ? 'Running the model on the picture…'
      : answer.ok
        ? `${data.rows.length - 1} layers in ${Math.round(answer.ms)} ms (CPU, in a worker).`
        : `The model could not run: ${answer.message}`;
  return (
    <Figure
      title="Feature maps (before training)"
      file="feature-maps"
      caption={CAPTION}
      controls={refusal ? undefined : <PicturePicker picked={picked} colour={colour} onPick={setPicked} />}
    >
      {refusal && <p className="maps-refusal">{refusal}</p>}
      {status && (
        <p className="frame-status" role="status">
          {status}
        </p>
      )}
      <div
        ref={container}
        className="feature-maps-body"
        hidden={refusal !== null}
        tabIndex={0}
        role="region"
        aria-label="Feature maps, one row per layer"
      />
    </Figure>
  );
}

/** The input, then every top-level layer, and the layers inside unfolded blocks, in model order. */
function rowsOf(
  analysis: Analysis,
  answer: Extract<MapsAnswer, { ok: true }>,
  image: ReturnType<typeof fitImage>,
  expanded: readonly string[],
  notation: Notation,
): MapRow[] {
  const format = analysis.model.dataFormat;
  const byId = new Map(answer.layers.map((l) => [l.id, l]));
  const open = new Set(expanded);
  const input = analysis.layers.find((l) => l.spec?.type === 'Input');
  const rows: MapRow[] = [
    {
      id: input?.name ?? 'input',
      label: input?.name ?? 'input',
      shape: shapeText(input?.output ?? null, format, notation),
      channels: image.channels,
      height: image.height,
      width: image.width,
      maps: [],
      rgba: image.rgba,
    },
  ];
  for (const id of layerIds(analysis, (name) => open.has(name))) {
    const maps = byId.get(id);
    if (!maps) continue;
    const shape = shapeText(findLayer(analysis, id)?.output ?? null, format, notation);
    rows.push({ ...maps, label: id, shape });
  }
  return rows;
}
