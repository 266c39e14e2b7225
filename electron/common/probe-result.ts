// Shapes shared by every probe, and by every reader of a report. A probe never throws for anything the network
// does: whatever the peer sends (or does not send) ends up as one of these values. Types only: this layer imports
// nothing.

export type ProbeProtocol = 'mms' | 'mmsh' | 'rtsp' | 'http';

/** What happened to the TCP connection attempt. `skipped` = not attempted (DNS failed, or cancelled). */
export type Reachability = 'open' | 'refused' | 'timeout' | 'unreachable' | 'skipped';

/** What the first bytes of a reply looked like, whatever we asked for. */
export type ReplyKind = 'mms' | 'http' | 'rtsp' | 'tls' | 'text' | 'binary' | 'nothing';

/** Why the reading of a reply stopped. */
export type ReadEnding =
  | 'complete' // we had what we needed
  | 'closed' // the peer closed (FIN)
  | 'reset' // the peer reset the connection
  | 'timeout' // the probe's time bound ran out while waiting
  | 'byte-limit' // the peer sent more than the probe accepts
  | 'cancelled'; // the caller aborted

export interface ProbeEvidence {
  /** What we sent, as text (HTTP/RTSP) or a hex dump (MMS); bounded. */
  sent: string;
  /** The first bytes the peer sent back, likewise bounded. Empty when it sent nothing. */
  received: string;
}

export interface MmsFacts {
  /** ServerVersionInfo from ReportConnectedEX, e.g. "9.01.01.3814". */
  serverVersion: string | null;
  /** HRESULT of the connect (0 = accepted). */
  connectHr: number | null;
  /** AuthenPackage, e.g. "NTLM", when the server announced one. */
  authPackage: string | null;
  pathOutcome: MmsPathOutcome;
  /** HRESULT of ReportOpenFile / ReportDisconnectedFunnel when the server sent one. */
  pathHr: number | null;
  redirectUrl: string | null;
  /** ReportOpenFile's fileAttributes said broadcast (live) content. */
  broadcast: boolean | null;
}

export type MmsPathOutcome =
  | 'exists'
  | 'not-found'
  | 'auth-required'
  | 'redirected'
  | 'denied' // another error hr for the file or the funnel
  | 'not-checked'; // no path in the URL, or the handshake did not get that far

export interface MmshFacts {
  /** `Server:` names Cougar/ or Rex/: a Windows Media HTTP streaming server. */
  windowsMediaServer: boolean;
  contentType: string | null;
  /** `$H` / `$M` chunk seen at the start of the body. */
  framing: '$H' | '$M' | null;
  /** The Pragma `features=` value (broadcast, seekable…). */
  features: string | null;
}

export type RtspProduct =
  'WMServer' | 'VLC' | 'GStreamer' | 'LIVE555' | 'Wowza' | 'Helix' | 'Darwin' | 'other' | 'none';

export interface RtspFacts {
  product: RtspProduct;
  optionsStatus: number | null;
  /** The `Public:` methods of the OPTIONS reply. */
  methods: string[];
  describeStatus: number | null;
  /** The SDP carries `a=pgmpu:data:application/vnd.ms.wms-hdr.asfv1;base64,…` (what WMP needs). */
  sdpHasAsfHeader: boolean;
  /** Location of a 301/302/305 answer. */
  redirectUrl: string | null;
}

export type PageKind = 'html' | 'asx' | 'hls' | 'dash' | 'media' | 'other' | 'empty';

export interface HttpFacts {
  contentType: string | null;
  kind: PageKind;
  /** mms:// (and mmst/mmsu) links found in an HTML page or ASX playlist. */
  mmsLinks: string[];
  /** Location of a redirect. */
  redirectUrl: string | null;
  /** Content-Length as announced, never trusted for allocation. */
  contentLength: number | null;
}

/** Where a 3xx answer points: its status and Location, resolved against the request's URL, controls stripped. */
export interface RedirectFacts {
  status: number;
  location: string;
}

export type PlaylistFormat = 'asx' | 'reference' | 'm3u' | 'pls' | 'html';

/** The stream entries of a playlist or web page (electron/probes/playlist.ts). */
export interface PlaylistFacts {
  format: PlaylistFormat;
  /** Canonical stream URLs (as the user-input parser writes them), in document order, unique, at most 10. */
  entries: string[];
  /** Candidates dropped because they were not stream addresses (file:, javascript:, malformed…). */
  rejected: number;
  /** More stream entries were there than were kept. */
  truncated: boolean;
}

export interface ProbeResult {
  protocol: ProbeProtocol;
  port: number;
  /** The address we connected to (or tried last). */
  address: string | null;
  reachability: Reachability;
  /** The reachability in words, e.g. "connection refused: nothing listens on 1755". */
  reachabilityReason: string;
  /** The peer answered in the protocol we asked for. */
  speaks: boolean;
  /** Product/version the peer announced (`Server:`, MMS version), or null. */
  server: string | null;
  /** HTTP/RTSP status of the main request, or null. */
  status: number | null;
  /** One sentence in plain words. */
  detail: string;
  durationMs: number;
  replyKind: ReplyKind;
  ending: ReadEnding | null;
  evidence: ProbeEvidence;
  mms?: MmsFacts;
  mmsh?: MmshFacts;
  rtsp?: RtspFacts;
  http?: HttpFacts;
  /** The reply was a redirect with a usable Location (HTTP, Windows Media HTTP, RTSP). */
  redirect?: RedirectFacts;
  /** A 2xx web reply was a playlist or a page that hands a player its stream (browser-request probe). */
  playlist?: PlaylistFacts;
}

/** Everything a protocol probe needs to know about its target. */
export interface ProbeTarget {
  /** The host name as the user wrote it (ASCII / punycode form), for Host headers and URLs. */
  host: string;
  /** Addresses to try, in order (from DNS or the literal). */
  addresses: string[];
  port: number;
  /** The URL path including query, always starting with "/". */
  path: string;
  /** Use TLS (https). */
  tls?: boolean;
}

export interface ProbeOptions {
  /** Bound for the whole probe (connect + every read), in ms. */
  timeoutMs: number;
  signal?: AbortSignal;
}
