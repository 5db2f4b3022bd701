import type { Analysis } from '../../engine/analysis/result';
import { fixesFor } from '../../engine/analysis/fixes';
import { diagnosticText } from '../../engine/model/diagnostic';
import { writeMessage } from '../../engine/text/message';
import { selectNotation, useAppStore } from '../../state/store';

/** Problems of one layer (or of all, when `layer` is null), each with its one-click fixes. */
export function LayerProblems({ analysis, layer }: { analysis: Analysis; layer: string | null }) {
  const edit = useAppStore((s) => s.edit);
  const select = useAppStore((s) => s.select);
  const notation = useAppStore(selectNotation);
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
          {diagnosticText(d, analysis.model.dataFormat, notation)}
          {fixesFor(analysis, d).map((fix) => {
            const label = writeMessage(fix.label, analysis.model.dataFormat, notation);
            return (
              <button key={label} type="button" className="fix" onClick={() => edit(fix.edits)}>
                {label}
              </button>
            );
          })}
        </li>
      ))}
    </ul>
  );
}
