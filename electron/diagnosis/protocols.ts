// One protocol table for the probes: the URL scheme a probe's conversation corresponds to, the words for it, and
// the command that shows the same conversation. The routes' table (routes.ts) builds on it.
import type { ProbeProtocol } from '../common/probe-result';
import { WELL_KNOWN_PORT } from '../common/protocols';
import type { StreamScheme } from '../common/target';
import { commands } from './commands';

export interface ProbeProtocolEntry {
  /** The scheme of a URL that asks for this conversation. */
  scheme: StreamScheme;
  /** "On the wire: <words> on port 554". */
  wireWords: string;
  /** The protocol's name in a list of what a port answers. */
  name: string;
  /** What to run to have the same conversation by hand. */
  command: (url: string, host: string, port: number) => string;
}

export const PROBE_PROTOCOLS: Record<ProbeProtocol, ProbeProtocolEntry> = {
  mms: {
    scheme: 'mmst',
    wireWords: 'the MMS hello',
    name: 'MMS',
    // No common command speaks MMS's control channel; the TCP test plus a capture shows the same bytes.
    command: (_url, host, port) =>
      `${commands.tcp(host, port)}   (then capture with Wireshark: filter tcp.port == ${port})`,
  },
  mmsh: {
    scheme: 'http',
    wireWords: 'the Windows Media HTTP request',
    name: 'Windows Media HTTP',
    command: (url) => commands.mmsh(url),
  },
  rtsp: {
    scheme: 'rtsp',
    wireWords: 'RTSP OPTIONS and DESCRIBE',
    name: 'RTSP',
    command: (url) => commands.rtspDescribe(url),
  },
  http: {
    scheme: 'http',
    wireWords: 'a browser’s request',
    name: 'HTTP',
    command: (url) => commands.page(url),
  },
};

/** What each well-known port is for, in words. */
export const PORT_PURPOSE: ReadonlyMap<number, string> = new Map([
  [WELL_KNOWN_PORT.mms, 'MMS'],
  [WELL_KNOWN_PORT.rtsp, 'RTSP'],
  [WELL_KNOWN_PORT.http, 'HTTP'],
  [WELL_KNOWN_PORT.https, 'HTTPS'],
]);
