import { useState, useSyncExternalStore } from 'react';
import { newVersionReady, onNewVersion } from '../../pwa/register';
import { useAppStore } from '../../state/store';
import { reloadKeepingModel } from './reload';
import './recovery.css';

/**
 * "A new version is ready", once a newer version of the site has taken over (src/pwa): this page
 * keeps working as it is, and Reload opens the new version with the same model. During a
 * training run it says to reload afterwards, since reloading ends the run.
 */
export function UpdateNotice() {
  const ready = useSyncExternalStore(onNewVersion, newVersionReady);
  const training = useAppStore(
    (s) => s.run.status === 'starting' || s.run.status === 'running' || s.run.status === 'paused',
  );
  const [later, setLater] = useState(false);
  return (
    <div role="status" className="update-region">
      {ready && !later && (
        <div className="update-notice">
          <p>
            <strong>A new version of ConvScope is ready.</strong>{' '}
            {training
              ? 'Reload once this run ends: reloading stops it.'
              : 'This page keeps working as it is; Reload opens the new version with your model.'}
          </p>
          <div className="button-row">
            {!training && (
              <button type="button" className="primary" onClick={reloadKeepingModel}>
                Reload
              </button>
            )}
            <button type="button" onClick={() => setLater(true)}>
              Later
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
