import { describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from './contract';
import { createStreamDoctorApi, type PreloadTransport } from './preload-api';

function fakeTransport(reply: (channel: string, args: unknown[]) => unknown) {
  const invoked: Array<[string, unknown[]]> = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const transport: PreloadTransport = {
    invoke: async (channel, args) => {
      invoked.push([channel, args]);
      return reply(channel, args);
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  };
  const emit = (channel: string, payload: unknown): void =>
    listeners.get(channel)?.forEach((l) => l(payload));
  return { transport, invoked, emit, listeners };
}

describe('the preload API', () => {
  it('has one named function per contract channel plus the subscription, and nothing else', () => {
    const api = createStreamDoctorApi(fakeTransport(() => ({ ok: true, value: null })).transport);
    expect(Object.keys(api).sort()).toEqual([...Object.keys(INVOKE_CHANNELS), 'onRunEvent'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('calls each function on its own channel with its arguments', async () => {
    const { transport, invoked } = fakeTransport(() => ({ ok: true, value: { runId: 'run-1' } }));
    const api = createStreamDoctorApi(transport);
    expect(await api.startDiagnosis({ url: 'mms://h/live', errorCode: null, expectIp: null })).toEqual({
      ok: true,
      value: { runId: 'run-1' },
    });
    await api.cancelDiagnosis('run-1');
    await api.detectPlayers();
    expect(invoked).toEqual([
      [INVOKE_CHANNELS.startDiagnosis, [{ url: 'mms://h/live', errorCode: null, expectIp: null }]],
      [INVOKE_CHANNELS.cancelDiagnosis, ['run-1']],
      [INVOKE_CHANNELS.detectPlayers, []],
    ]);
  });

  it('turns a rejected invoke or a malformed reply into a failed result', async () => {
    const rejecting = createStreamDoctorApi({
      invoke: () => Promise.reject(new Error('No handler registered')),
      subscribe: () => () => undefined,
    });
    expect(await rejecting.detectPlayers()).toEqual({
      ok: false,
      error: { code: 'failed', message: 'No handler registered' },
    });
    const garbled = createStreamDoctorApi(fakeTransport(() => 'surprise').transport);
    const result = await garbled.detectPlayers();
    expect(result.ok).toBe(false);
  });

  it('delivers only the payload to subscribers and unsubscribes', () => {
    const { transport, emit, listeners } = fakeTransport(() => null);
    const api = createStreamDoctorApi(transport);
    const seen: unknown[] = [];
    const unsubscribe = api.onRunEvent((message) => seen.push(message));
    emit(EVENT_CHANNELS.runEvent, { runId: 'run-1', event: { type: 'run-cancelled' } });
    unsubscribe();
    emit(EVENT_CHANNELS.runEvent, { runId: 'run-1', event: { type: 'run-cancelled' } });
    expect(seen).toEqual([{ runId: 'run-1', event: { type: 'run-cancelled' } }]);
    expect(listeners.get(EVENT_CHANNELS.runEvent)?.size).toBe(0);
    expect(() => api.onRunEvent('not a function' as never)).toThrow(TypeError);
  });
});
