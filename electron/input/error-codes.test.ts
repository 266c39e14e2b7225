import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  findKnownErrorCode,
  formatHresult,
  KNOWN_ERROR_CODES,
  MAX_ERROR_TEXT_LENGTH,
  parseErrorCode,
} from './error-codes';

function nameOf(text: string): string {
  const result = parseErrorCode(text);
  if (!result.ok)
    throw new Error(`expected ${JSON.stringify(text.slice(0, 80))} to be recognised: ${result.message}`);
  return result.value.name;
}

function rejection(text: string): string {
  const result = parseErrorCode(text);
  if (result.ok) throw new Error(`expected a rejection, got ${result.value.name}`);
  return result.message;
}

/** The Windows wording of each code as a user would paste it from the dialog ([MS-ERREF] NS_E table). */
const WINDOWS_TEXT: Record<string, string> = {
  NS_E_MMS_NOT_SUPPORTED:
    'The MMS protocol is not supported. Please use HTTP or RTSP to connect to the Windows Media stream.',
  NS_E_INCOMPATIBLE_SERVER: 'The server is not a compatible streaming media server.',
  NS_E_UNKNOWN_PROTOCOL: 'The specified protocol is not supported.',
  NS_E_ALL_PROTOCOLS_DISABLED: 'The content cannot be streamed because all protocols have been disabled.',
  NS_E_FIREWALL:
    'Packets are not being received from the server. The packets might be blocked by a filtering device, such as a network firewall.',
  NS_E_SERVER_ACCESSDENIED:
    'The Windows Media server is denying access. The username and/or password might be incorrect.',
  NS_E_RESOURCE_GONE: 'The Publishing Point or file on the Windows Media Server is no longer available.',
  NS_E_BAD_SYNTAX_IN_SERVER_RESPONSE:
    'The response from the media server could not be understood. This might be caused by an incompatible proxy server or media server.',
  NS_E_RESET_SOCKET_CONNECTION: 'The Windows Media Server reset the network connection.',
  NS_E_CANNOTCONNECT: 'Unable to establish a connection to the server.',
  NS_E_FILE_NOT_FOUND: 'The system cannot find the file specified.',
  NS_E_WMP_MMS_NOT_SUPPORTED:
    'Windows Media Player cannot play the file because the specified protocol is not supported. If you typed a URL in the Open URL dialog box, try using a different transport protocol (for example, "mms:").',
  NS_E_WMP_INVALID_PROTOCOL:
    'Windows Media Player cannot play the file because the specified protocol is not supported. If you typed a URL in the Open URL dialog box, try using a different transport protocol (for example, "http:" or "rtsp:").',
  NS_E_WMP_NETWORK_FIREWALL:
    'Windows Media Player cannot play the file. A network firewall might be preventing the Player from opening the file by using the UDP transport protocol. If you typed a URL in the Open URL dialog box, try using a different transport protocol (for example, "http:").',
  NS_E_SERVER_DNS_TIMEOUT: 'Unable to locate the media server. The operation timed out.',
  NS_E_CONNECT_TIMEOUT:
    'It was not possible to establish a connection to the media server in a timely manner. The media server might be down for maintenance, or it might be necessary to use a proxy server to access this media server.',
  NS_E_WMP_SERVER_INACCESSIBLE:
    'Windows Media Player cannot connect to the server. The server name might not be correct, the server might not be available, or your proxy settings might not be correct.',
  NS_E_WMP_SERVER_UNAVAILABLE:
    'Windows Media Player cannot play the file. The server might not be available or there might be a problem with your network or firewall settings.',
  NS_E_WMP_NETWORK_ERROR:
    'Windows Media Player cannot play the file because a network error occurred. The server might not be available (for example, the server is busy or not online) or you might not be connected to the network.',
};

describe('KNOWN_ERROR_CODES', () => {
  const required: Array<[number, string]> = [
    [0xc00d2efa, 'NS_E_MMS_NOT_SUPPORTED'],
    [0xc00d2ee8, 'NS_E_INCOMPATIBLE_SERVER'],
    [0xc00d2ee0, 'NS_E_UNKNOWN_PROTOCOL'],
    [0xc00d2eeb, 'NS_E_ALL_PROTOCOLS_DISABLED'],
    [0xc00d2ef9, 'NS_E_FIREWALL'],
    [0xc00d2efb, 'NS_E_SERVER_ACCESSDENIED'],
    [0xc00d2efc, 'NS_E_RESOURCE_GONE'],
    [0xc00d2efe, 'NS_E_BAD_SYNTAX_IN_SERVER_RESPONSE'],
    [0xc00d2f00, 'NS_E_RESET_SOCKET_CONNECTION'],
    [0xc00d0006, 'NS_E_CANNOTCONNECT'],
    [0xc00d001a, 'NS_E_FILE_NOT_FOUND'],
    [0xc00d11bd, 'NS_E_WMP_MMS_NOT_SUPPORTED'],
  ];
  it.each(required)('contains 0x%s', (value, name) => {
    expect(findKnownErrorCode(value)?.name).toBe(name);
  });

  it.each(KNOWN_ERROR_CODES.map((code) => [code.hex, code] as const))('%s is well formed', (_hex, code) => {
    expect(code.hex).toBe(`0x${code.value.toString(16).toUpperCase()}`);
    expect(code.hex).toMatch(/^0xC00D[0-9A-F]{4}$/);
    expect(code.name).toMatch(/^NS_E_[A-Z0-9_]+$/);
    expect(code.message.length).toBeGreaterThan(20);
    expect(code.meaning.length).toBeGreaterThan(20);
    expect(code.meaning).not.toBe(code.message);
    expect(WINDOWS_TEXT[code.name]).toBeDefined();
  });

  it('has no duplicate values or names', () => {
    expect(new Set(KNOWN_ERROR_CODES.map((code) => code.value)).size).toBe(KNOWN_ERROR_CODES.length);
    expect(new Set(KNOWN_ERROR_CODES.map((code) => code.name)).size).toBe(KNOWN_ERROR_CODES.length);
  });
});

describe('parseErrorCode: the forms of one code', () => {
  it.each([
    '0xC00D2EFA',
    '0xc00d2efa',
    'C00D2EFA',
    'c00d2efa',
    '-1072877830',
    '3222089466',
    'NS_E_MMS_NOT_SUPPORTED',
    'ns_e_mms_not_supported',
    'Ns_E_Mms_Not_Supported',
    'MMS_NOT_SUPPORTED',
    '  0xC00D2EFA  ',
    '(0xC00D2EFA).',
    '"C00D2EFA"',
    'C00D2EFAh',
    'The MMS protocol is not supported',
    'the mms protocol is NOT supported.',
    'Error code: C00D2EFA',
    'HRESULT -1072877830',
    'failed with 3222089466 (unsigned)',
  ])('%s → NS_E_MMS_NOT_SUPPORTED', (input) => {
    expect(nameOf(input)).toBe('NS_E_MMS_NOT_SUPPORTED');
  });

  it.each(['0xC00D2EE8', 'C00D2EE8', '-1072877848', '3222089448', 'ns_e_incompatible_server'])(
    '%s → NS_E_INCOMPATIBLE_SERVER',
    (input) => {
      expect(nameOf(input)).toBe('NS_E_INCOMPATIBLE_SERVER');
    },
  );
});

describe('parseErrorCode: pasted dialog text', () => {
  it.each(KNOWN_ERROR_CODES.map((code) => [code.name] as const))('the Windows wording of %s', (name) => {
    const text = WINDOWS_TEXT[name] ?? '';
    expect(nameOf(text)).toBe(name);
    // Line breaks and quoting from a copied dialog do not matter.
    expect(nameOf(`> ${text.replace(/ /g, '\n').toUpperCase()}`)).toBe(name);
  });

  it.each([
    [
      'WMP 12 dialog with the code',
      'Windows Media Player\n\nWindows Media Player encountered a problem while playing the file.\n\nError code: C00D2EFA\n\nOK',
      'NS_E_MMS_NOT_SUPPORTED',
    ],
    [
      'Web Help page',
      'Error ID = 0xC00D2EE8, Condition ID = 0x00000000\nThe server is not a compatible streaming media server.',
      'NS_E_INCOMPATIBLE_SERVER',
    ],
    [
      'code outranks wording',
      'Error code C00D2EE8: The MMS protocol is not supported.',
      'NS_E_INCOMPATIBLE_SERVER',
    ],
    ['first known code wins', 'Tried rtsp: C00D2EE8, then mms: C00D2EFA', 'NS_E_INCOMPATIBLE_SERVER'],
    [
      'name in a log line',
      '2024-03-01 12:00:01 open failed: NS_E_RESOURCE_GONE (0xC00D2EFC)',
      'NS_E_RESOURCE_GONE',
    ],
    ['signed decimal from PowerShell', 'Exception HRESULT: -1072877848', 'NS_E_INCOMPATIBLE_SERVER'],
    [
      'message quoted without its start',
      '... server is not a compatible streaming media server ...',
      'NS_E_INCOMPATIBLE_SERVER',
    ],
  ])('%s', (_label, text, expected) => {
    expect(nameOf(text)).toBe(expected);
  });

  it('tells the two "protocol is not supported" WMP codes and the generic one apart', () => {
    const [mms, other, generic] = [
      WINDOWS_TEXT.NS_E_WMP_MMS_NOT_SUPPORTED ?? '',
      WINDOWS_TEXT.NS_E_WMP_INVALID_PROTOCOL ?? '',
      WINDOWS_TEXT.NS_E_UNKNOWN_PROTOCOL ?? '',
    ];
    expect(mms).toContain(generic.slice(4, -1));
    expect(nameOf(mms)).toBe('NS_E_WMP_MMS_NOT_SUPPORTED');
    expect(nameOf(other)).toBe('NS_E_WMP_INVALID_PROTOCOL');
    expect(nameOf(generic)).toBe('NS_E_UNKNOWN_PROTOCOL');
  });
});

describe('parseErrorCode: rejections', () => {
  const listsForms = /0xC00D2EFA.*C00D2EFA.*-1072877830.*3222089466.*NS_E_MMS_NOT_SUPPORTED/;
  it.each([
    ['empty', '', [/No error code given/, listsForms]],
    ['blank', '  \n ', [/No error code given/, listsForms]],
    ['garbage', 'it does not work', [/Found no Windows Media error code/, listsForms]],
    ['date and time only', '2024-03-01 12:00:01 12345678', [/Found no Windows Media error code/]],
    [
      'unknown Windows Media code',
      '0xC00D2F01',
      [
        /^0xC00D2F01 is not a Windows Media streaming error Stream Doctor knows/,
        /It is a Windows Media error/,
        /0xC00D2EFA/,
      ],
    ],
    [
      'unknown code, other facility',
      '0x80004005',
      [/^0x80004005 is not a Windows Media streaming error/, /start with 0xC00D/],
    ],
    ['unknown code, signed', '-2147467259', [/^0x80004005 is not/]],
    [
      'unknown code in dialog text',
      'Error code: C00D11B1',
      [/^0xC00D11B1 is not a Windows Media streaming error/],
    ],
    ['success code', '0', [/^0x00000000 is not an error code/]],
    ['small number', '42', [/^0x0000002A is not an error code/]],
    ['too big for 32 bits', '4294967296', [/Found no Windows Media error code/]],
    [
      'unknown name',
      'NS_E_SOMETHING_ELSE',
      [/^NS_E_SOMETHING_ELSE is not a Windows Media streaming error/, /NS_E_MMS_NOT_SUPPORTED/],
    ],
    ['unknown name in text', 'failed: NS_E_NOPE here', [/^NS_E_NOPE is not/]],
  ])('%s', (_label, input, patterns) => {
    const message = rejection(input);
    for (const pattern of patterns) expect(message).toMatch(pattern);
    expect(message.length).toBeLessThanOrEqual(300);
  });

  it('answers an enormous paste with a short message instead of scanning it', () => {
    const text = `C00D2EFA ${'x'.repeat(MAX_ERROR_TEXT_LENGTH)}`;
    const message = rejection(text);
    expect(message).toContain(`${text.length} characters`);
    expect(message.length).toBeLessThanOrEqual(300);
  });
});

describe('properties', () => {
  const knownCode = fc.constantFrom(...KNOWN_ERROR_CODES);
  const randomCase = (text: string, flips: boolean[]): string =>
    Array.from(text, (character, index) =>
      flips[index % Math.max(flips.length, 1)] ? character.toUpperCase() : character.toLowerCase(),
    ).join('');

  it('finds every table code by its hex, signed, unsigned and name forms', () => {
    fc.assert(
      fc.property(knownCode, fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }), (code, flips) => {
        const digits = code.value.toString(16);
        const signed = String(code.value | 0);
        const forms = [
          code.hex,
          `0x${randomCase(digits, flips)}`,
          randomCase(digits, flips),
          signed,
          String(code.value),
          randomCase(code.name, flips),
          `Error: ${randomCase(digits, flips)}.`,
          `HRESULT ${signed}`,
        ];
        expect(signed.startsWith('-')).toBe(true);
        for (const form of forms) expect(parseErrorCode(form)).toEqual({ ok: true, value: code });
      }),
      { numRuns: 300 },
    );
  });

  it('rejects every other 32-bit value, naming it in hex', () => {
    const known = new Set(KNOWN_ERROR_CODES.map((code) => code.value));
    const unknownValue = (min: number) =>
      fc.integer({ min, max: 0xffff_ffff }).filter((value) => !known.has(value));
    const expectRejectedAs = (text: string, value: number): void => {
      const result = parseErrorCode(text);
      expect(result.ok ? result.value.name : result.message.slice(0, 10)).toBe(formatHresult(value));
    };
    fc.assert(
      fc.property(unknownValue(0), (value) => expectRejectedAs(formatHresult(value), value)),
      { numRuns: 300 },
    );
    // Decimal forms of error codes are 10 digits (unsigned) or negative (signed); an 8-digit number is read as
    // hex, the way Windows displays codes.
    fc.assert(
      fc.property(unknownValue(0x8000_0000), (value) => {
        expectRejectedAs(String(value), value);
        expectRejectedAs(String(value | 0), value);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on any input and always answers with a code or a bounded message', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc
            .array(
              fc.constantFrom('0x', 'C00D', '2EFA', '-', '1072877830', 'NS_E_', 'MMS', ' ', '\n', 'protocol'),
              {
                maxLength: 10,
              },
            )
            .map((pieces) => pieces.join('')),
        ),
        (text) => {
          const result = parseErrorCode(text);
          if (result.ok) {
            expect(KNOWN_ERROR_CODES).toContain(result.value);
          } else {
            expect(result.message.length).toBeGreaterThan(0);
            expect(result.message.length).toBeLessThanOrEqual(300);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
