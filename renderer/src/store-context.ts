// Hands the one store to components. Components select only what they render.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppStore, Store } from './store';

export const StoreContext = createContext<AppStore | null>(null);

export function useAppStore<T>(selector: (state: Store) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore outside StoreContext');
  return useStore(store, selector);
}
