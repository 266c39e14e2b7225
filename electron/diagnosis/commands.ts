// The command an IT person could run to see for themselves what a check saw. For display only: nothing here is
// ever executed. Every command is meant for PowerShell (Windows PowerShell 5.1 and PowerShell 7), where curl.exe,
// ffprobe and nslookup run as they are; values are quoted by PowerShell's single-quote rules, so `$(…)`, backticks
// and `%VAR%` stay literal. The cmd alternative for DNS is offered only when cmd could not misread the value.

/** Characters PowerShell treats as a single quote: the ASCII one and the typographic ones. */
const POWERSHELL_SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;
/** Control characters (a newline would end the command when pasted) never belong in a host or URL. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A PowerShell verbatim string: inside '…' nothing expands; a quote is written twice. */
export function powershellQuote(value: string): string {
  const clean = value.replace(CONTROL_CHARACTERS, '');
  return `'${clean.replace(POWERSHELL_SINGLE_QUOTES, (quote) => quote + quote)}'`;
}

/**
 * A cmd.exe argument in double quotes, or null when cmd cannot take the value literally: `%` expands even inside
 * quotes on the command line, `!` does under delayed expansion, and a `"` cannot be escaped inside quotes.
 */
export function cmdQuote(value: string): string | null {
  if (/["%!^]/.test(value) || value.replace(CONTROL_CHARACTERS, '') !== value) return null;
  return `"${value}"`;
}

const q = powershellQuote;

export const commands = {
  resolve: (host: string): string => {
    const cmd = cmdQuote(host);
    return `Resolve-DnsName ${q(host)}${cmd ? `   (in cmd: nslookup ${cmd})` : ''}`;
  },
  tcp: (host: string, port: number): string => `Test-NetConnection ${q(host)} -Port ${port}`,
  mmst: (url: string): string => `ffprobe -v error -show_streams ${q(url)}`,
  rtsp: (url: string): string => `ffprobe -v error -rtsp_transport tcp -show_streams ${q(url)}`,
  // curl.exe, not curl: in Windows PowerShell 5 `curl` is an alias of Invoke-WebRequest.
  rtspDescribe: (url: string): string => `curl.exe -v --max-time 5 --rtsp-request DESCRIBE ${q(url)}`,
  mmsh: (url: string): string =>
    `curl.exe -s -D - -o NUL --max-time 5 -A 'NSPlayer/12.0.7680.0' -H 'Pragma: no-cache,rate=1.000' ${q(url)}`,
  page: (url: string): string => `curl.exe -s -D - --max-time 5 ${q(url)}`,
  none: '',
} as const;
