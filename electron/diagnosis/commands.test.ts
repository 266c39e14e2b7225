// The copyable commands must mean, in PowerShell, exactly the value we quoted — whatever the value holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cmdQuote, commands, powershellQuote } from './commands';

const QUOTES = new Set(["'", '\u2018', '\u2019', '\u201a', '\u201b']);

/**
 * Reads one PowerShell verbatim string at the start of `text` as the PowerShell language specification
 * (section 2.3.5.2, single-quoted strings) defines it: any single-quote character ends it, two in a row stand
 * for one. Returns the value and what follows, so a test sees a string that ended early.
 */
function readVerbatim(text: string): { value: string; rest: string } {
  if (!QUOTES.has(text[0] ?? '')) throw new Error('not a verbatim string');
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const char = text[i]!;
    if (QUOTES.has(char)) {
      if (QUOTES.has(text[i + 1] ?? '')) {
        value += char;
        i++;
        continue;
      }
      return { value, rest: text.slice(i + 1) };
    }
    value += char;
  }
  throw new Error('unterminated string');
}

const HOSTILE = [
  "a'b",
  'a’b‘c',
  '$(Remove-Item -Recurse C:\\)',
  '`whoami`',
  '%USERPROFILE%',
  '"; calc; "',
  'a & b | c > d',
  'line1\nline2\r\nline3',
  '${env:PATH}',
];

describe('powershellQuote', () => {
  it('gives back exactly the value (minus control characters), for hostile examples', () => {
    for (const value of HOSTILE) {
      const { value: read, rest } = readVerbatim(powershellQuote(value));
      expect(rest).toBe('');
      expect(read).toBe(value.replace(/[\r\n]/g, ''));
      expect(powershellQuote(value)).not.toMatch(/[\r\n]/);
    }
  });

  it('gives back exactly the value for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string(), (a, b) => {
        const value = `${a}'${b}’`;
        const { value: read, rest } = readVerbatim(powershellQuote(value));
        expect(rest).toBe('');
        // eslint-disable-next-line no-control-regex -- the quoting drops control characters on purpose
        expect(read).toBe(value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ''));
      }),
    );
  });

  it('is what every command uses for its value', () => {
    const url = "rtsp://h/$(calc)'`x`%TEMP%";
    for (const command of [commands.rtsp(url), commands.mmsh(url), commands.page(url), commands.mmst(url)]) {
      expect(command.endsWith(powershellQuote(url))).toBe(true);
    }
    expect(commands.tcp("h'x", 554)).toBe("Test-NetConnection 'h''x' -Port 554");
  });
});

describe('cmdQuote', () => {
  it('refuses what cmd would expand or could not quote, and quotes the rest', () => {
    for (const value of ['%PATH%', 'a"b', 'a!b!', 'a^b', 'a\nb']) expect(cmdQuote(value)).toBeNull();
    expect(cmdQuote('media.example.org')).toBe('"media.example.org"');
    // Inside double quotes cmd takes & | < > literally.
    expect(cmdQuote('a & b')).toBe('"a & b"');
  });

  it('offers the cmd alternative for DNS only when it is safe', () => {
    expect(commands.resolve('media.example.org')).toContain('nslookup "media.example.org"');
    expect(commands.resolve('%COMPUTERNAME%')).not.toContain('nslookup');
    expect(commands.resolve('%COMPUTERNAME%')).toContain("Resolve-DnsName '%COMPUTERNAME%'");
  });
});
