// The renderer's entry: finds the desk API and mounts the app shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { obtainDesk } from './desk/bridge';
import { installFocusRescue } from './shell/focus-rescue';
import './shell/desk.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const connection = obtainDesk();
installFocusRescue(document);

createRoot(root).render(
  <StrictMode>
    {connection.ok ? (
      <App desk={connection.desk} link={connection.link} />
    ) : (
      <main id="main" className="loading">
        <h1>Careers helpline desk</h1>
        <div role="alert" className="notice notice--problem">
          <p>{connection.problem}</p>
        </div>
      </main>
    )}
  </StrictMode>,
);
