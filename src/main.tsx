import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerServiceWorker } from './pwa/register';
import { App } from './ui/App';
import './ui/styles.css';
import './ui/layout/layout.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// The built site only: the dev server has no service worker (vite.config.ts builds it).
if (import.meta.env.PROD) registerServiceWorker('./sw.js');
