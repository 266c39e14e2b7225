// The sentence for a run where no port has answered yet (the full run's `still-waiting` event), in one place so
// the CLI and the app say the same thing. Dependency-free: the renderer imports it too.

export interface StillWaiting {
  host: string;
  ports: readonly number[];
  /** How long the probes go on waiting, in ms (each probe's bound). */
  deadlineMs: number;
}

/** "No answer yet from 10.0.0.5 (ports 1755, 554, 80) — waiting up to 3 s; …" */
export function stillWaitingSentence(waiting: StillWaiting): string {
  const ports = `${waiting.ports.length === 1 ? 'port' : 'ports'} ${waiting.ports.join(', ')}`;
  return (
    `No answer yet from ${waiting.host} (${ports}) — waiting up to ${seconds(waiting.deadlineMs)}; ` +
    'a firewall that drops the packets, or a host that is down, looks like this'
  );
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
