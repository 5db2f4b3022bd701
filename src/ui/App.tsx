import { Diagnostics } from './Diagnostics';
import { ModelPicker } from './ModelPicker';
import { NotationSwitch } from './NotationSwitch';
import { SummaryTable } from './SummaryTable';
import { Totals } from './Totals';
import { selectAnalysis, useAppStore } from '../state/store';

export function App() {
  const { model } = useAppStore(selectAnalysis);
  return (
    <>
      <header className="app-header">
        <div className="brand">
          <h1>ConvScope</h1>
          <p>Every tensor’s shape, every kernel, exactly.</p>
        </div>
        <div className="controls">
          <ModelPicker />
          <NotationSwitch />
        </div>
      </header>
      <main>
        <section aria-labelledby="model-title">
          <h2 id="model-title">{model.name}</h2>
          {model.description && <p className="description">{model.description}</p>}
          <Totals />
          <Diagnostics />
          <SummaryTable />
        </section>
      </main>
    </>
  );
}
