// What the user typed, once understood. Types only: this layer imports nothing.

export type StreamScheme = 'mms' | 'mmst' | 'mmsu' | 'mmsh' | 'rtsp' | 'rtspt' | 'rtspu' | 'http' | 'https';

export interface StreamTarget {
  scheme: StreamScheme;
  /** Host as it goes on the wire: lower-case, punycode for international names, IPv6 without brackets. */
  host: string;
  /** The host as the user wrote it (Unicode form of an international name), for messages. */
  displayHost: string;
  hostKind: 'name' | 'ipv4' | 'ipv6';
  port: number;
  /** True when the URL named the port; false when it is the scheme's default. */
  explicitPort: boolean;
  /** Path plus query, always starting with "/"; "/" when the URL had none. */
  path: string;
  /** The URL rebuilt in canonical form (credentials removed). */
  url: string;
  /** The URL carried user:password@ — removed before probing and never written to a report. */
  hadCredentials: boolean;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

export interface KnownErrorCode {
  /** Unsigned 32-bit value, e.g. 0xC00D2EFA. */
  value: number;
  /** "0xC00D2EFA" */
  hex: string;
  /** "NS_E_MMS_NOT_SUPPORTED" */
  name: string;
  /** What Windows says, paraphrased. */
  message: string;
  /** What it usually means for a stream, in plain words. */
  meaning: string;
}
