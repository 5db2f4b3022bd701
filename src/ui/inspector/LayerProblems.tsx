import type { Analysis } from '../../engine/analysis/result';
import { fixesFor } from '../../engine/analysis/fixes';
import { diagnosticText } from '../../engine/model/diagnostic';
import { writeMessage } from '../../engine/text/message';
import { selectNotation, useAppStore } from '../../state/store';

/**
 * Problems of one layer (or of all, when `layer` is null), each with its one-click fixes. The
 * list of all gives the selected layer's problems as their first sentence only, pointing to the
 * layer's details where they stand in full, so one message is not on screen twice.
 */
export function LayerProblems({ analysis, layer }: { analysis: Analysis; layer: string | null }) {
  const edit = useAppStore((s) => s.edit);
  const select = useAppStore((s) => s.select);
  const notation = useAppStore(selectNotation);
  const selected = useAppStore((s) => s.selected);
  const diagnostics = analysis.diagnostics.filter((d) => layer === null || d.layer === layer);
  if (diagnostics.length === 0) return null;
  return (
    <ul className="problems">
      {diagnostics.map((d, i) => (
        <li key={`${d.layer}-${i}`} className={d.severity}>
          <span className="badge">{d.severity}</span>
          {layer === null && d.layer && (
            <button type="button" className="link" onClick={() => select(d.layer)}>
              {d.layer}
            </button>
          )}{' '}
          {layer === null && d.layer !== null && d.layer === selected ? (
            <>
              {firstSentence(diagnosticText(d, analysis.model.dataFormat, notation))}{' '}
              <span className="muted">In full, with fixes, in the layer&apos;s details.</span>
            </>
          ) : (
            <>
              {diagnosticText(d, analysis.model.dataFormat, notation)}
              {fixesFor(analysis, d).map((fix) => {
                const label = writeMessage(fix.label, analysis.model.dataFormat, notation);
                return (
                  <button key={label} type="button" className="fix" onClick={() => edit(fix.edits)}>
                    {label}
                  </button>
                );
              })}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/** A message's first sentence: what is wrong, without the why and the how. */
function firstSentence(message: string): string {
  const end = message.search(/[.:](\s|$)/);
  return end < 0 ? message : `${message.slice(0, end)}.`;
}
