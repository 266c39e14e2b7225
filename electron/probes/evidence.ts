// Turning raw bytes into something a person (or a report) can read, and a first guess at what they are.
import type { ReplyKind } from './types';

const MMS_SESSION_ID = 0xb00bface;

/** A classic 16-bytes-per-line hex dump of the first `maxBytes` bytes. */
export function hexDump(bytes: Uint8Array, maxBytes = 256): string {
  const shown = bytes.subarray(0, maxBytes);
  const lines: string[] = [];
  for (let offset = 0; offset < shown.length; offset += 16) {
    const row = shown.subarray(offset, offset + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(4, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > maxBytes) lines.push(`… ${bytes.length - maxBytes} more bytes`);
  return lines.join('\n');
}

/** Printable text of the first `maxChars` bytes; control bytes other than CR/LF/TAB become "·". */
export function textExcerpt(bytes: Uint8Array, maxChars = 1024): string {
  const shown = Buffer.from(bytes.subarray(0, maxChars)).toString('latin1');
  const clean = shown.replace(/[^\t\n\r\x20-\x7e\xa0-\xff]/g, '·');
  return bytes.length > maxChars ? `${clean}\n… ${bytes.length - maxChars} more bytes` : clean;
}

/** Text for text protocols, a hex dump for anything binary. */
export function excerpt(bytes: Uint8Array, maxBytes = 1024): string {
  if (bytes.length === 0) return '';
  return looksLikeText(bytes) ? textExcerpt(bytes, maxBytes) : hexDump(bytes, Math.min(maxBytes, 256));
}

function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 256);
  let control = 0;
  for (const b of sample) if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) control++;
  return control <= sample.length / 20;
}

/** What the first bytes of a reply look like, regardless of what we asked. */
export function classifyReply(bytes: Uint8Array): ReplyKind {
  if (bytes.length === 0) return 'nothing';
  if (
    bytes.length >= 8 &&
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readUInt32LE(4) === MMS_SESSION_ID
  ) {
    return 'mms';
  }
  // TLS record: handshake (0x16) or alert (0x15), version 3.x.
  if ((bytes[0] === 0x16 || bytes[0] === 0x15) && bytes.length >= 2 && bytes[1] === 0x03) return 'tls';
  const head = Buffer.from(bytes.subarray(0, 16)).toString('latin1');
  if (/^HTTP\/\d/i.test(head)) return 'http';
  if (/^RTSP\/\d/i.test(head)) return 'rtsp';
  return looksLikeText(bytes) ? 'text' : 'binary';
}

/** A short phrase for a reply kind, for sentences like "port 1755 answers HTTP". */
export function describeReplyKind(kind: ReplyKind): string {
  switch (kind) {
    case 'mms':
      return 'MMS';
    case 'http':
      return 'HTTP';
    case 'rtsp':
      return 'RTSP';
    case 'tls':
      return 'TLS (an encrypted service)';
    case 'text':
      return 'text in an unknown protocol';
    case 'binary':
      return 'binary data in an unknown protocol';
    case 'nothing':
      return 'nothing';
  }
}
