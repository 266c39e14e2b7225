import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasSteeringCharacters,
  serverBlock,
  serverLine,
  SERVER_LINE_MAX,
  withoutSteering,
} from './server-text';

/** Anything a terminal, a bidi-aware renderer or a line-based reader would obey rather than show. */
function steers(char: number): boolean {
  return (
    (char <= 0x1f && char !== 0x09 && char !== 0x0a) ||
    (char >= 0x7f && char <= 0x9f) ||
    [0x061c, 0x200b, 0x200e, 0x200f, 0x2060, 0xfeff].includes(char) ||
    (char >= 0x202a && char <= 0x202e) ||
    (char >= 0x2066 && char <= 0x2069)
  );
}
const STEERING = { test: (text: string) => [...text].some((c) => steers(c.codePointAt(0)!)) };

describe('serverLine', () => {
  it.each([
    [
      'an ESC sequence that clears the screen and retitles the terminal',
      'Cougar\x1b[2J\x1b]0;pwned\x07/9.01',
      'Cougar[2J]0;pwned/9.01',
    ],
    ['NUL bytes', 'WMServer\x00/9.6\x00', 'WMServer/9.6'],
    ['CR/LF injection', 'nginx\r\nSet-Cookie: a=b\rX', 'nginx Set-Cookie: a=b X'],
    ['a right-to-left override', 'report\u202Eexe.pdf', 'reportexe.pdf'],
    ['bidi isolates and marks', '\u2066a\u2069\u200Fb\u061C', 'ab'],
    ['C1 controls and DEL', 'a\u0085b\u009bc\x7fd', 'a bcd'],
    ['a BOM and a zero-width space', '\ufeffCougar\u200b', 'Cougar'],
  ])('takes out %s', (_what, input, expected) => {
    expect(serverLine(input)).toBe(expected);
    expect(hasSteeringCharacters(serverLine(input))).toBe(false);
  });

  it('keeps ordinary text of any script, and leaves clean text alone', () => {
    for (const text of ['Cougar/9.01.01.3814', 'Сервер потоков', 'ストリーム', 'مرحبا', 'emoji 👍🏽 ok'])
      expect(serverLine(text)).toBe(text);
  });

  it('cuts a very long value with an ellipsis, never inside a surrogate pair', () => {
    const long = serverLine('x'.repeat(1_000_000));
    expect(long).toHaveLength(SERVER_LINE_MAX);
    expect(long.endsWith('…')).toBe(true);
    const emoji = serverLine('😀'.repeat(20), 10);
    expect(emoji).toBe(`${'😀'.repeat(4)}…`);
    expect(serverLine('abcdef', 4)).toBe('abc…');
  });

  it('never lets a steering character or a line break through, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.integer({ min: 1, max: 400 }),
        (text, max) => {
          const line = serverLine(text, max);
          return !STEERING.test(line) && !/[\n\t]/.test(line) && line.length <= max;
        },
      ),
    );
  });
});

describe('serverBlock', () => {
  it('keeps lines (CRLF as sent) and tabs, turns a lone CR into a line break, and takes out the rest', () => {
    expect(serverBlock('v=0\r\ns=Live\x1b[31m\u202E\r\nt=0 0\rX\tY\x00\u2028Z')).toBe(
      'v=0\r\ns=Live[31m\r\nt=0 0\nX\tY\nZ',
    );
  });

  it('never lets a steering character or a lone CR through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const block = serverBlock(text).replace(/\r\n/g, '\n');
        return !STEERING.test(block);
      }),
    );
  });
});

describe('withoutSteering', () => {
  it('cleans every string of a report-like value and keeps its shape', () => {
    const dirty = {
      server: 'Cougar\x1b[2J',
      probes: [{ evidence: { received: 'HTTP/1.1 200 OK\r\nServer: x\u202E\r\n' }, status: 200 }],
      nothing: null,
      ok: true,
    };
    expect(withoutSteering(dirty)).toEqual({
      server: 'Cougar[2J',
      probes: [{ evidence: { received: 'HTTP/1.1 200 OK\r\nServer: x\r\n' }, status: 200 }],
      nothing: null,
      ok: true,
    });
  });

  it('hands back the very same object when there is nothing to clean', () => {
    const clean = { a: ['b', { c: 'd\ne' }], n: 1 };
    expect(withoutSteering(clean)).toBe(clean);
  });
});
