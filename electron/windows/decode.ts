// Turning the bytes a Windows console program wrote into text. Console programs writing to a pipe use the
// console's OEM code page (cp850 in Western Europe, cp866 in Russia, cp936 in China…), yet some Windows 10/11
// machines write UTF-8 to the same pipe, and PowerShell redirections produce UTF-16LE with a BOM. The language
// does not predict the encoding, so: BOM first, then UTF-16 by its zero bytes, then strict UTF-8, then the OEM page.
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

/**
 * UTF-16 without a BOM (a redirection of PowerShell's or cmd /u's output, cut or re-saved): console text is
 * full of ASCII blanks, digits and dashes, so one byte of many pairs is zero — the high byte of UTF-16LE, the
 * low byte of UTF-16BE. An 8-bit or UTF-8 console output has no zero byte at all. CJK text keeps enough ASCII
 * (padding, separators) to pass the 20 % bar.
 */
export function utf16ByteOrder(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const length = Math.min(bytes.length - (bytes.length % 2), 8192);
  if (length < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < length; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = length / 2;
  // A handful of bytes proves nothing: a zero or two can sit anywhere in binary data.
  if (Math.max(oddZeros, evenZeros) < 4) return null;
  if (oddZeros >= pairs * 0.2 && evenZeros <= pairs * 0.02) return 'utf-16le';
  if (evenZeros >= pairs * 0.2 && oddZeros <= pairs * 0.02) return 'utf-16be';
  return null;
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
  const utf16 = utf16ByteOrder(buffer);
  if (utf16 !== null) return { text: iconv.decode(buffer, utf16), encoding: utf16 };
  try {
    return { text: strictUtf8.decode(buffer), encoding: 'utf-8' };
  } catch {
    const encoding = (oemCodePage === null ? null : codePageEncoding(oemCodePage)) ?? 'cp437';
    // A UTF-8 code page for "OEM" cannot decode bytes that just failed strict UTF-8; fall back to cp437.
    const usable = encoding === 'utf-8' ? 'cp437' : encoding;
    return { text: iconv.decode(buffer, usable), encoding: usable };
  }
}

/** Bytes of the sample the code pages are scored on: a big dump repeats the same few labels thousands of times. */
const SAMPLE_BYTES = 256 * 1024;
const MAX_SAMPLED_LINE = 1024;

/**
 * The lines that hold bytes above 0x7F, each once, up to SAMPLE_BYTES: only they differ between the
 * candidate code pages (all of them are ASCII-compatible), so scoring them decides as well as the whole file.
 */
export function nonAsciiSample(bytes: Uint8Array): Buffer {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seen = new Set<string>();
  const parts: Buffer[] = [];
  let size = 0;
  let start = 0;
  let high = false;
  // One pass over the bytes (a callback per byte would cost more than the decoding itself).
  for (let i = 0; i <= buffer.length && size < SAMPLE_BYTES; i++) {
    const byte = i < buffer.length ? buffer[i] : 0x0a;
    if (byte !== 0x0a) {
      if (byte !== undefined && byte >= 0x80) high = true;
      continue;
    }
    if (high) {
      // A console line is short; a "line" of megabytes (binary data) is sampled by its head only.
      const line = buffer.subarray(start, Math.min(i, start + MAX_SAMPLED_LINE));
      const key = line.toString('latin1');
      if (!seen.has(key)) {
        seen.add(key);
        parts.push(line, Buffer.from([0x0a]));
        size += line.length + 1;
      }
    }
    start = i + 1;
    high = false;
  }
  return Buffer.concat(parts);
}

/**
 * Decodes bytes of unknown origin (a file a remote user sent) by trying several code pages on a sample and
 * keeping the one under which `score` finds the most known words. Used only when the code page was not given.
 */
export function decodeGuessing(
  bytes: Uint8Array,
  candidates: readonly number[],
  score: (text: string) => number,
): DecodedText {
  const first = decodeOutput(bytes, null);
  if (first.encoding !== 'cp437') return first;
  const sample = nonAsciiSample(bytes);
  // Ties keep the earlier candidate: list the likeliest code pages first.
  let best: string | null = null;
  let bestScore = -Infinity;
  for (const codePage of candidates) {
    const encoding = codePageEncoding(codePage);
    if (encoding === null || encoding === 'utf-8' || encoding.startsWith('utf-16')) continue;
    const value = score(iconv.decode(sample, encoding));
    if (value > bestScore) {
      best = encoding;
      bestScore = value;
    }
  }
  if (best === null) return first;
  return {
    text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), best),
    encoding: best,
  };
}

// Letters that real text in the languages of the code pages uses; a wrong code page turns bytes into rarer
// letters (þ, Ð, ı…), symbols (®, ±, box drawing) and script mixtures instead.
const COMMON_LATIN = new Set(
  'äöüßÄÖÜéèêëàâçîïôûùñáíóúãõœÉÈÊÀÂÇÎÔÛÑÁÍÓÚÃÕąćęłńśźżĄĆĘŁŃŚŹŻčďěňřšťůžýČĎĚŇŘŠŤŮŽÝőűŐŰğşĞİŞåøæÅØÆ',
);
const SCRIPTS: readonly RegExp[] = [
  /^[\p{Script=Cyrillic}]+$/u,
  /^[\p{Script=Greek}]+$/u,
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー・々]+$/u,
  /^[\p{Script=Hangul}\p{Script=Han}]+$/u,
];

/**
 * How much a decoded text looks like real words: +1 for each word whose non-ASCII letters are common
 * letters of one script, −1 for each word with symbols, mixed scripts or undecodable bytes.
 */
export function plausibility(text: string): number {
  let score = 0;
  for (const word of text.split(/[\s,.;:()[\]"'=/\\|<>-]+/u)) {
    let nonAscii = '';
    for (const char of word) if (char.charCodeAt(0) >= 0x80) nonAscii += char;
    if (nonAscii === '') continue;
    if (nonAscii.includes('\ufffd')) score -= 3;
    else if ([...nonAscii].every((char) => COMMON_LATIN.has(char))) score += 1;
    else if (SCRIPTS.some((script) => script.test(nonAscii)) && !/[A-Za-z]/.test(word)) score += 1;
    else if (/^\p{L}+$/u.test(nonAscii)) score += 0;
    else score -= 1;
  }
  return score;
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
