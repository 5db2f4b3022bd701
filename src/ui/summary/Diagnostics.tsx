import { diagnosticText } from '../../engine/model/diagnostic';
import { selectAnalysis, selectNotation, useAppStore } from '../../state/store';

export function Diagnostics() {
  const { diagnostics, model } = useAppStore(selectAnalysis);
  const notation = useAppStore(selectNotation);
  if (diagnostics.length === 0) return null;
  return (
    <section className="diagnostics" aria-labelledby="diagnostics-title">
      <h3 id="diagnostics-title">Problems</h3>
      <ul>
        {diagnostics.map((d, i) => (
          <li key={i} className={d.severity}>
            <span className="badge">{d.severity}</span>
            {d.layer && <a href={`#layer-${d.layer}`}>{d.layer}</a>} {diagnosticText(d, model.dataFormat, notation)}
          </li>
        ))}
      </ul>
    </section>
  );
}
