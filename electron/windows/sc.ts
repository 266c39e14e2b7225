// Parser for `sc query`, `sc queryex` and `sc qc`. The numbers and the upper-case
// constants after them (`4  RUNNING`, `2   AUTO_START  (DELAYED)`) are what is read: they are the stable part,
// whatever the field names. A missing service is `FAILED 1060` (exit code 1060), never read from the sentence.

export type ServiceState =
  'stopped' | 'start-pending' | 'stop-pending' | 'running' | 'continue-pending' | 'pause-pending' | 'paused';

export type StartType = 'boot' | 'system' | 'auto' | 'demand' | 'disabled';

export interface ServiceInfo {
  name: string;
  displayName: string | null;
  state: ServiceState | null;
  stateCode: number | null;
  /** From `sc qc`; null in `sc query` output. */
  startType: StartType | null;
  delayedStart: boolean;
  binaryPath: string | null;
  dependencies: string[];
  startName: string | null;
  pid: number | null;
  win32ExitCode: number | null;
  fields: { key: string; value: string }[];
}

export interface ScResult {
  services: ServiceInfo[];
  /** The Win32 error of a failed call (`[SC] OpenService FAILED 1060:`), or the exit code when non-zero. */
  errorCode: number | null;
  /** ERROR_SERVICE_DOES_NOT_EXIST. */
  notInstalled: boolean;
}

/** Win32 error: the specified service does not exist as an installed service. */
export const ERROR_SERVICE_DOES_NOT_EXIST = 1060;

const STATES: Record<string, ServiceState> = {
  STOPPED: 'stopped',
  START_PENDING: 'start-pending',
  STOP_PENDING: 'stop-pending',
  RUNNING: 'running',
  CONTINUE_PENDING: 'continue-pending',
  PAUSE_PENDING: 'pause-pending',
  PAUSED: 'paused',
};

const START_TYPES: Record<string, StartType> = {
  BOOT_START: 'boot',
  SYSTEM_START: 'system',
  AUTO_START: 'auto',
  DEMAND_START: 'demand',
  DISABLED: 'disabled',
};

/** A cmd or PowerShell prompt of a pasted transcript (`C:\\htb> sc qc X`, `PS C:\\> sc.exe query X`). */
export const PROMPT = /^\s*(?:PS [^>]*|[A-Za-z]:\\[^>]*)>\s*\S/;

const KEY_VALUE = /^\s*([^\s:][^:]*?)\s*:\s?(.*)$/;
const CONTINUATION = /^\s+:\s*(.*)$/;
const STATE_VALUE =
  /^(\d+)\s+(STOPPED|START_PENDING|STOP_PENDING|RUNNING|CONTINUE_PENDING|PAUSE_PENDING|PAUSED)\b/;
const START_VALUE = /^(\d+)\s+(BOOT_START|SYSTEM_START|AUTO_START|DEMAND_START|DISABLED)\b(\s+\(DELAYED\))?/;

function emptyService(name: string): ServiceInfo {
  return {
    name,
    displayName: null,
    state: null,
    stateCode: null,
    startType: null,
    delayedStart: false,
    binaryPath: null,
    dependencies: [],
    startName: null,
    pid: null,
    win32ExitCode: null,
    fields: [],
  };
}

function readField(service: ServiceInfo, key: string, value: string): void {
  service.fields.push({ key, value });
  const state = STATE_VALUE.exec(value);
  if (state) {
    service.stateCode = Number(state[1]);
    service.state = STATES[state[2] ?? ''] ?? null;
    return;
  }
  const start = START_VALUE.exec(value);
  if (start) {
    service.startType = START_TYPES[start[2] ?? ''] ?? null;
    service.delayedStart = start[3] !== undefined;
    return;
  }
  switch (key.toUpperCase()) {
    case 'DISPLAY_NAME':
      service.displayName = value === '' ? null : value;
      break;
    case 'BINARY_PATH_NAME':
      service.binaryPath = value === '' ? null : value;
      break;
    case 'DEPENDENCIES':
      if (value !== '') service.dependencies.push(value);
      break;
    case 'SERVICE_START_NAME':
      service.startName = value === '' ? null : value;
      break;
    case 'PID':
      service.pid = /^\d+$/.test(value) ? Number(value) : null;
      break;
    case 'WIN32_EXIT_CODE': {
      const code = /^(\d+)/.exec(value);
      service.win32ExitCode = code ? Number(code[1]) : null;
      break;
    }
  }
}

export function parseSc(text: string, exitCode: number | null = null): ScResult {
  const services: ServiceInfo[] = [];
  let errorCode: number | null = null;
  let current: ServiceInfo | null = null;
  let lastKey = '';
  try {
    for (const rawLine of text.split(/\r\n|\r|\n/)) {
      const line = rawLine.replace(/\s+$/, '');
      const failed = /\bFAILED\s+(\d+)/.exec(line);
      if (failed) {
        errorCode = Number(failed[1]);
        continue;
      }
      if (PROMPT.test(line)) {
        // The next command of a transcript: what follows belongs to it, not to the service above.
        current = null;
        lastKey = '';
        continue;
      }
      const continued = CONTINUATION.exec(line);
      if (continued && current) {
        // `DEPENDENCIES : RpcSs` continues as `                   : http` on the next lines.
        if (lastKey.toUpperCase() === 'DEPENDENCIES' && continued[1])
          current.dependencies.push(continued[1].trim());
        continue;
      }
      const field = KEY_VALUE.exec(line);
      if (!field) continue;
      const key = (field[1] ?? '').trim();
      const value = (field[2] ?? '').trim();
      if (key.toUpperCase() === 'SERVICE_NAME') {
        current = emptyService(value);
        services.push(current);
        lastKey = key;
        continue;
      }
      if (!current) continue;
      readField(current, key, value);
      lastKey = key;
    }
  } catch {
    // Never throw on input.
  }
  if (errorCode === null && exitCode !== null && exitCode !== 0) errorCode = exitCode;
  return { services, errorCode, notInstalled: errorCode === ERROR_SERVICE_DOES_NOT_EXIST };
}
