// The command an IT person could run to see for themselves what a check saw. For display only: nothing here
// is ever executed. Values come from the validated StreamTarget, and are quoted for PowerShell/cmd anyway.

function quote(value: string): string {
  return `"${value.replace(/"/g, '')}"`;
}

export const commands = {
  resolve: (host: string): string => `Resolve-DnsName ${quote(host)}   (or: nslookup ${quote(host)})`,
  tcp: (host: string, port: number): string => `Test-NetConnection ${quote(host)} -Port ${port}`,
  mmst: (url: string): string => `ffprobe -v error -show_streams ${quote(url)}`,
  rtsp: (url: string): string => `ffprobe -v error -rtsp_transport tcp -show_streams ${quote(url)}`,
  // curl.exe, not curl: in Windows PowerShell 5 `curl` is an alias of Invoke-WebRequest.
  rtspDescribe: (url: string): string => `curl.exe -v --max-time 5 --rtsp-request DESCRIBE ${quote(url)}`,
  mmsh: (url: string): string =>
    `curl.exe -s -D - -o NUL --max-time 5 -A "NSPlayer/12.0.7680.0" -H "Pragma: no-cache,rate=1.000" ${quote(url)}`,
  page: (url: string): string => `curl.exe -s -D - --max-time 5 ${quote(url)}`,
  none: '',
} as const;
