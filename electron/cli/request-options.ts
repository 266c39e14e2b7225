// The options that describe a diagnosis request on the command line (`diagnose` and `bundle <url>` take the
// same ones), how they reach node:util parseArgs, and how their values become a request for validateRequest.
import type { DiagnosisRequest } from '../engine/run-diagnosis';

export const REQUEST_OPTIONS = {
  code: { type: 'string' },
  'expect-ip': { type: 'string' },
  timeout: { type: 'string' },
  'known-good': { type: 'string' },
} as const;

const STRING_FLAGS = Object.keys(REQUEST_OPTIONS).map((name) => `--${name}`);

/**
 * `--code -1072877830` as people type it: parseArgs would take the negative number for an option, so a string
 * option followed by a negative number becomes `--code=-1072877830`.
 */
export function joinNegativeValues(args: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (STRING_FLAGS.includes(arg) && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

type RequestValues = { [K in keyof typeof REQUEST_OPTIONS]?: string | undefined };

/** The request the typed values describe; validateRequest says what is wrong with it. */
export function requestOf(url: string, values: RequestValues): DiagnosisRequest {
  const timeoutMs =
    values.timeout === undefined
      ? undefined
      : /^\d{1,6}$/.test(values.timeout)
        ? Number(values.timeout)
        : Number.NaN;
  return {
    url,
    errorCode: values.code ?? null,
    expectIp: values['expect-ip'] ?? null,
    knownGoodUrl: values['known-good'] ?? null,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}
