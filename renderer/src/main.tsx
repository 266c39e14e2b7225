import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi, hasApi } from './api';
import { App } from './components/App';
import { connectRunEvents, createAppStore } from './store';
import { StoreContext } from './store-context';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

if (!hasApi()) {
  root.render(
    <main className="content">
      <h1>Stream Doctor cannot start</h1>
      <p>The window opened without its connection to the app. Close it and start Stream Doctor again.</p>
    </main>,
  );
} else {
  const api = getApi();
  const store = createAppStore(api);
  // The one subscription: main's events go straight into the store.
  connectRunEvents(api, store);
  void store.getState().init();
  root.render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    </StrictMode>,
  );
}
