import { selectAnalysis, useAppStore } from '../../state/store';

export function Diagnostics() {
  const { diagnostics } = useAppStore(selectAnalysis);
  if (diagnostics.length === 0) return null;
  return (
    <section className="diagnostics" aria-labelledby="diagnostics-title">
      <h3 id="diagnostics-title">Problems</h3>
      <ul>
        {diagnostics.map((d, i) => (
          <li key={i} className={d.severity}>
            <span className="badge">{d.severity}</span>
            {d.layer && <a href={`#layer-${d.layer}`}>{d.layer}</a>} {d.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
