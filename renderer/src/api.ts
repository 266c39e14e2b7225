// The preload's API, typed from the one IPC contract. The renderer reaches main only through this object.
import { API_GLOBAL, type StreamDoctorApi } from '../../electron/ipc/contract';

declare global {
  interface Window {
    [API_GLOBAL]?: StreamDoctorApi;
  }
}

export function getApi(): StreamDoctorApi {
  const api = window[API_GLOBAL];
  if (!api) throw new Error('Stream Doctor’s bridge to the main process is missing.');
  return api;
}

export function hasApi(): boolean {
  return window[API_GLOBAL] !== undefined;
}
