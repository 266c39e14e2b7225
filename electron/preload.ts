// Sandboxed preload (CommonJS, requires only `electron`). It exposes named functions built from the one IPC
// contract, never ipcRenderer itself, and strips the IPC event object before anything reaches the page:
// `event.sender` would hand the page ipcRenderer after all.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_GLOBAL } from './ipc/contract';
import { createStreamDoctorApi } from './ipc/preload-api';

const api = createStreamDoctorApi({
  invoke: (channel, args) => ipcRenderer.invoke(channel, ...args),
  subscribe(channel, listener) {
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
});

contextBridge.exposeInMainWorld(API_GLOBAL, api);
