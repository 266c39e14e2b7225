// Turning the bytes a Windows console program wrote into text. Console programs writing to a pipe use the
// console's OEM code page (cp850 in Western Europe, cp866 in Russia, cp936 in China…), yet some Windows 10/11
// machines write UTF-8 to the same pipe, and PowerShell redirections produce UTF-16LE with a BOM. The language
// does not predict the encoding (docs/windows-commands.md §8), so: BOM first, then strict UTF-8, then the OEM page.
import iconv from 'iconv-lite';

export interface DecodedText {
  text: string;
  /** The encoding that was used: 'utf-8', 'utf-16le', 'utf-16be' or 'cpNNN'. */
  encoding: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The iconv-lite name for a Windows code page number, or null when iconv-lite cannot decode it. */
export function codePageEncoding(codePage: number): string | null {
  if (!Number.isInteger(codePage) || codePage <= 0) return null;
  if (codePage === 65001) return 'utf-8';
  if (codePage === 1200) return 'utf-16le';
  if (codePage === 1201) return 'utf-16be';
  const name = `cp${codePage}`;
  return iconv.encodingExists(name) ? name : null;
}

/** A BOM-less UTF-16LE text that is mostly ASCII has a zero in almost every odd byte. */
function looksLikeUtf16le(bytes: Uint8Array): boolean {
  const sample = Math.min(bytes.length - (bytes.length % 2), 256);
  if (sample < 4) return false;
  let zeros = 0;
  for (let i = 1; i < sample; i += 2) if (bytes[i] === 0) zeros++;
  return zeros >= (sample / 2) * 0.9;
}

/**
 * Decodes console output. `oemCodePage` is the console's OEM code page (from `reg query …\Nls\CodePage /v
 * OEMCP` or `chcp`); when it is unknown or unsupported, cp437 is used, which maps every byte to something.
 */
export function decodeOutput(bytes: Uint8Array, oemCodePage: number | null): DecodedText {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) {
    return { text: iconv.decode(buffer.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  }
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    return { text: iconv.decode(buffer.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  }
  if (buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
    return { text: iconv.decode(buffer.subarray(3), 'utf-8'), encoding: 'utf-8' };
  }
  if (looksLikeUtf16le(buffer)) return { text: iconv.decode(buffer, 'utf-16le'), encoding: 'utf-16le' };
  try {
    return { text: strictUtf8.decode(buffer), encoding: 'utf-8' };
  } catch {
    const encoding = (oemCodePage === null ? null : codePageEncoding(oemCodePage)) ?? 'cp437';
    // A UTF-8 code page for "OEM" cannot decode bytes that just failed strict UTF-8; fall back to cp437.
    const usable = encoding === 'utf-8' ? 'cp437' : encoding;
    return { text: iconv.decode(buffer, usable), encoding: usable };
  }
}

/**
 * Decodes bytes of unknown origin (a file a remote user sent) by trying several code pages and keeping the
 * one under which `score` finds the most known words. Used only when the code page was not given.
 */
export function decodeGuessing(
  bytes: Uint8Array,
  candidates: readonly number[],
  score: (text: string) => number,
): DecodedText {
  const first = decodeOutput(bytes, null);
  if (first.encoding !== 'cp437') return first;
  // Ties keep the earlier candidate: list the likeliest code pages first.
  let best: DecodedText | null = null;
  let bestScore = -Infinity;
  for (const codePage of candidates) {
    const encoding = codePageEncoding(codePage);
    if (encoding === null || encoding === 'utf-8' || encoding.startsWith('utf-16')) continue;
    const text = iconv.decode(Buffer.from(bytes), encoding);
    const value = score(text);
    if (value > bestScore) {
      best = { text, encoding };
      bestScore = value;
    }
  }
  return best ?? first;
}

/**
 * The code page number in `chcp` output ("Active code page: 850." — the sentence is localized, the digits are
 * not) or in `reg query …\CodePage /v OEMCP` output ("    OEMCP    REG_SZ    850").
 */
export function parseCodePage(text: string): number | null {
  const fromRegistry = /\bOEMCP\s+REG_SZ\s+(\d{3,5})\b/i.exec(text);
  const digits = fromRegistry ?? /(\d{3,5})/.exec(text);
  if (!digits?.[1]) return null;
  const value = Number(digits[1]);
  return value > 0 && value < 65536 ? value : null;
}
