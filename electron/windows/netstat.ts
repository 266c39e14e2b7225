// Parser for `netstat -ano` (docs/windows-commands.md §6). Rows are split on whitespace, never by column: a long
// IPv6 address with a zone shifts the alignment, UDP rows have no State, and German localizes the state
// words. The PID is the last token. A TCP row whose foreign address is `0.0.0.0:0` / `[::]:0` is a listener,
// whatever the state word says; every UDP row is a bound socket.

export interface SocketRow {
  protocol: 'TCP' | 'UDP';
  localAddress: string;
  localPort: number;
  foreignAddress: string;
  /** As printed (LISTENING, ESTABLISHED, ABHÖREN…); null for UDP. */
  state: string | null;
  pid: number;
  /** A TCP listener or a bound UDP socket. */
  listening: boolean;
}

const ROW = /^(?:.*?\s)?(TCP|UDP)\s+(\S+)\s+(\S+)\s+(?:(\S+)\s+)?(\d+)\s*$/i;

/** Splits `0.0.0.0:80`, `[::]:80`, `[fe80::1%14]:1900` into address and port. */
export function splitEndpoint(endpoint: string): { address: string; port: number } | null {
  const match = /^\[?(.*?)\]?:(\d{1,5}|\*)$/.exec(endpoint);
  if (!match) return null;
  const port = match[2] === '*' ? 0 : Number(match[2]);
  return port <= 65535 ? { address: match[1] ?? '', port } : null;
}

const isWildcardEndpoint = (endpoint: string): boolean => /^(0\.0\.0\.0|\[::\]):0$/.test(endpoint);

export function parseNetstat(text: string): SocketRow[] {
  const rows: SocketRow[] = [];
  try {
    for (const line of text.split(/\r\n|\r|\n/)) {
      const match = ROW.exec(line);
      if (!match) continue;
      const protocol = (match[1] ?? '').toUpperCase() as 'TCP' | 'UDP';
      const local = splitEndpoint(match[2] ?? '');
      if (!local) continue;
      const foreign = match[3] ?? '';
      const state = protocol === 'TCP' ? (match[4] ?? null) : null;
      rows.push({
        protocol,
        localAddress: local.address,
        localPort: local.port,
        foreignAddress: foreign,
        state,
        pid: Number(match[5]),
        listening: protocol === 'UDP' || isWildcardEndpoint(foreign),
      });
    }
  } catch {
    // Never throw on input.
  }
  return rows;
}

/** The listeners on a port, one entry per (protocol, PID). */
export function listenersOnPort(rows: readonly SocketRow[], port: number): SocketRow[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    if (!row.listening || row.localPort !== port) return false;
    const key = `${row.protocol}/${row.pid}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
