// Sandboxed preload: exposes named functions only, never ipcRenderer itself.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('streamDoctor', { version: '0.1.0' });
