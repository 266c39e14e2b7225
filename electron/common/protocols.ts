// The well-known ports and the schemes of the protocols Windows Media Player speaks, defined once.
import type { RouteName } from './report';
import type { StreamScheme } from './target';

/** TCP ports a Windows Media server listens on by default. */
export const WELL_KNOWN_PORT = { mms: 1755, rtsp: 554, http: 80, https: 443 } as const;

/** The ports every diagnosis probes, in the order WMP's rollover tries the protocols they carry. */
export const ALWAYS_PROBED_PORTS: readonly number[] = [
  WELL_KNOWN_PORT.mms,
  WELL_KNOWN_PORT.rtsp,
  WELL_KNOWN_PORT.http,
];

/** Which route each scheme of an address asks for first. */
export const ROUTE_OF_SCHEME: Record<StreamScheme, RouteName> = {
  mms: 'mms',
  mmst: 'mms',
  mmsu: 'mms',
  mmsh: 'http',
  rtsp: 'rtsp',
  rtspt: 'rtsp',
  rtspu: 'rtsp',
  http: 'http',
  https: 'http',
};
