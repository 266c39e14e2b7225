import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  defaultPort,
  formatStreamUrl,
  MAX_URL_LENGTH,
  parseIpAddress,
  parseStreamUrl,
  STREAM_SCHEMES,
} from './stream-url';
import type { StreamScheme, StreamTarget } from './types';

function parsed(text: string): StreamTarget {
  const result = parseStreamUrl(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got: ${result.message}`);
  return result.value;
}

function rejection(text: string): string {
  const result = parseStreamUrl(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be rejected, got ${result.value.url}`);
  return result.message;
}

describe('parseStreamUrl: accepted addresses', () => {
  const cases: Array<[string, Partial<StreamTarget>]> = [
    [
      'mms://media.example.com/live',
      {
        scheme: 'mms',
        host: 'media.example.com',
        port: 1755,
        explicitPort: false,
        path: '/live',
        hostKind: 'name',
      },
    ],
    ['MMS://Media.Example.COM/Live', { scheme: 'mms', host: 'media.example.com', path: '/Live' }],
    ['mmst://server:8080/a/b?x=1', { scheme: 'mmst', port: 8080, explicitPort: true, path: '/a/b?x=1' }],
    ['rtsp://[::1]:8554/x', { scheme: 'rtsp', host: '::1', hostKind: 'ipv6', port: 8554, path: '/x' }],
    ['rtsp://[2001:DB8:0:0::1]/x', { host: '2001:db8::1', url: 'rtsp://[2001:db8::1]/x' }],
    ['[2001:db8::1]', { scheme: 'mms', host: '2001:db8::1', hostKind: 'ipv6', port: 1755, path: '/' }],
    ['[::1]:554/live', { scheme: 'mms', host: '::1', port: 554, path: '/live' }],
    ['2001:db8::1', { scheme: 'mms', host: '2001:db8::1', hostKind: 'ipv6', url: 'mms://[2001:db8::1]/' }],
    ['fe80::1', { host: 'fe80::1', hostKind: 'ipv6' }],
    ['192.0.2.10', { scheme: 'mms', host: '192.0.2.10', hostKind: 'ipv4', port: 1755, path: '/' }],
    ['http://192.0.2.10:8080/', { scheme: 'http', hostKind: 'ipv4', port: 8080 }],
    [
      'mms://bücher.example/live',
      {
        host: 'xn--bcher-kva.example',
        displayHost: 'bücher.example',
        url: 'mms://xn--bcher-kva.example/live',
      },
    ],
    ['mms://BÜCHER.example/', { host: 'xn--bcher-kva.example', displayHost: 'bücher.example' }],
    ['rtsp://xn--bcher-kva.example/', { host: 'xn--bcher-kva.example', displayHost: 'bücher.example' }],
    [
      'http://例え.テスト/ストリーム',
      { host: 'xn--r8jz45g.xn--zckzah', path: '/%E3%82%B9%E3%83%88%E3%83%AA%E3%83%BC%E3%83%A0' },
    ],
    ['server', { scheme: 'mms', host: 'server', port: 1755, path: '/', url: 'mms://server/' }],
    ['server:8080', { scheme: 'mms', host: 'server', port: 8080, explicitPort: true, path: '/' }],
    ['server/live', { scheme: 'mms', host: 'server', path: '/live' }],
    ['server:8080/live?id=3', { host: 'server', port: 8080, path: '/live?id=3' }],
    ['server?id=3', { host: 'server', path: '/?id=3' }],
    ['//server/live', { scheme: 'mms', host: 'server', path: '/live' }],
    ['mms://user:secret@server/live', { host: 'server', hadCredentials: true, url: 'mms://server/live' }],
    ['rtsp://user@[::1]:8554/x', { host: '::1', port: 8554, hadCredentials: true }],
    ['mms://server/live#part', { path: '/live', url: 'mms://server/live' }],
    ['mms://server:/live', { port: 1755, explicitPort: false }],
    ['mms://server:01755/live', { port: 1755, explicitPort: true, url: 'mms://server/live' }],
    ['mms://server:65535/', { port: 65535 }],
    ['mms://server:1/', { port: 1 }],
    ['mms://server/a"b<c>', { path: '/a%22b%3Cc%3E' }],
    ['mms://server/100%25', { path: '/100%25' }],
    ['mms://my_host.intranet/', { host: 'my_host.intranet' }],
    ['  mms://server/live  ', { host: 'server', path: '/live' }],
    ['"mms://server/live"', { host: 'server', path: '/live' }],
    ["'rtsp://server/live'", { scheme: 'rtsp', host: 'server' }],
    ['<mms://server/live>', { host: 'server', path: '/live' }],
    ['\u201cmms://server/live\u201d', { host: 'server' }],
    ['<URL:rtsp://server/x>', { scheme: 'rtsp', host: 'server', path: '/x' }],
    ['\n\t mms://server/live \r\n', { host: 'server' }],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(parsed(input)).toMatchObject(expected);
  });

  it.each(STREAM_SCHEMES.map((scheme) => [scheme] as const))('%s:// uses its default port', (scheme) => {
    const expectedPort: Record<StreamScheme, number> = {
      mms: 1755,
      mmst: 1755,
      mmsu: 1755,
      mmsh: 80,
      rtsp: 554,
      rtspt: 554,
      rtspu: 554,
      http: 80,
      https: 443,
    };
    const target = parsed(`${scheme.toUpperCase()}://host.example/stream`);
    expect(target.scheme).toBe(scheme);
    expect(target.port).toBe(expectedPort[scheme]);
    expect(defaultPort(scheme)).toBe(expectedPort[scheme]);
    expect(target.explicitPort).toBe(false);
    expect(target.url).toBe(`${scheme}://host.example/stream`);
  });

  it('keeps an explicit port in the canonical URL only when it differs from the default', () => {
    expect(parsed('rtsp://h:554/x').url).toBe('rtsp://h/x');
    expect(parsed('rtsp://h:555/x').url).toBe('rtsp://h:555/x');
    expect(parsed('rtsp://h:554/x').explicitPort).toBe(true);
  });

  it('accepts exactly 2048 characters', () => {
    const url = `mms://h/${'a'.repeat(MAX_URL_LENGTH - 8)}`;
    expect(url).toHaveLength(MAX_URL_LENGTH);
    expect(parsed(url).path).toHaveLength(MAX_URL_LENGTH - 7);
  });
});

describe('parseStreamUrl: rejections say what was expected', () => {
  const cases: Array<[string, string, RegExp[]]> = [
    ['empty', '', [/No stream address given/, /mms:\/\//]],
    ['only spaces', '   \n ', [/No stream address given/]],
    ['empty quotes', '""', [/No stream address given/]],
    [
      'unknown scheme',
      'ftp://x',
      [/^ftp:\/\/ is not a stream address; expected mms:\/\/, rtsp:\/\/ or http:\/\//],
    ],
    ['unknown scheme, any case', 'SFTP://x/y', [/^sftp:\/\/ is not a stream address/]],
    ['scheme without slashes', 'javascript:alert(1)', [/^javascript: is not a stream address/]],
    [
      'stream scheme without //',
      'rtsp:server/x',
      [/The \/\/ after rtsp: is missing/, /rtsp:\/\/server\/path/],
    ],
    ['no host', 'mms://', [/mms:\/\/ has no server name/, /mms:\/\/server\/path/]],
    ['no host before path', 'rtsp:///live', [/rtsp:\/\/ has no server name/]],
    ['only credentials', 'mms://user@', [/has no server name/]],
    ['unclosed IPv6 bracket', 'rtsp://[::1', [/no closing "\]"/, /rtsp:\/\/\[2001:db8::1\]:554\/path/]],
    ['unclosed IPv6 bracket with path', 'rtsp://[::1/x', [/no closing "\]"/]],
    ['junk after IPv6', 'rtsp://[::1]x/', [/after the IPv6 address; expected ":" and a port/]],
    ['stray closing bracket', 'mms://host]/', [/"\]" without a "\["/]],
    ['invalid IPv6', 'rtsp://[::g]/', [/is not a valid IPv6 address/]],
    ['IPv6 zone', 'rtsp://[fe80::1%25eth0]/', [/zone/]],
    ['unbracketed IPv6 in URL', 'rtsp://2001:db8::1/x', [/more than one ":"/, /in brackets/]],
    ['port 0', 'mms://server:0/', [/Port "0" is out of range/, /1 to 65535/]],
    ['port 70000', 'mms://server:70000/', [/Port "70000" is out of range/, /mms:\/\/ uses 1755/]],
    ['huge port', 'mms://server:99999999999999999999/', [/out of range/]],
    ['port with letters', 'rtsp://server:abc/', [/Port "abc" is not a number/, /rtsp:\/\/ uses 554/]],
    ['negative port', 'mms://server:-1/', [/is not a number/]],
    ['space inside', 'mms://server/my stream', [/contains a space \(at character 16\)/, /%20/]],
    ['space in host', 'mms://ser ver/', [/contains a space/]],
    ['no-break space', 'mms://server/a\u00a0b', [/contains a space/]],
    ['control character', 'mms://ser\u0007ver/', [/control character \(U\+0007 at character 10\)/]],
    ['NUL', 'mms://server/\u0000', [/control character \(U\+0000/]],
    ['DEL', 'mms://server/\u007f', [/control character \(U\+007F/]],
    ['zero-width space', 'mms://ser\u200bver/', [/invisible formatting character \(U\+200B/]],
    ['lone surrogate', 'mms://server/\ud800', [/broken character/]],
    ['Windows file path', 'C:\\Videos\\clip.wmv', [/is a file path, not a network stream address/]],
    ['Windows path, forward slashes', 'c:/videos/clip.wmv', [/is a file path/]],
    ['UNC path', '\\\\server\\share\\clip.wmv', [/is a file path/]],
    ['Unix path', '/home/user/clip.wmv', [/is a file path/]],
    ['file URL', 'file:///C:/Videos/clip.wmv', [/^file:\/\/ is a file on this computer/]],
    ['backslashes in URL', 'mms:\\\\server\\live', [/backslash/]],
    ['host with bad characters', 'mms://a$b/', [/is not a valid server name/]],
    ['empty label', 'mms://a..b/', [/empty part between dots/]],
    ['label too long', `mms://${'a'.repeat(64)}.example/`, [/at most 63 characters/]],
    ['invalid punycode', 'mms://xn--zz/', [/is not a valid server name/]],
    ['IPv4 out of range', 'mms://999.1.1.1/', [/is not a valid IPv4 address/, /four numbers 0-255/]],
    ['IPv4 with leading zeros', 'mms://010.0.0.1/', [/is not a plain IPv4 address/]],
    ['number read as IPv4 by browsers', 'mms://1234/', [/is not a plain IPv4 address/]],
    ['name ending in a number', 'mms://foo.123/', [/IPv4|server name/]],
  ];
  it.each(cases)('%s', (_label, input, patterns) => {
    const message = rejection(input);
    for (const pattern of patterns) expect(message).toMatch(pattern);
    expect(message.length).toBeLessThanOrEqual(300);
    expect(message).not.toMatch(/\n\s+at /);
  });

  it('answers 5 kB of pasted text with a short message that says how long it was', () => {
    const pasted = `Please open mms://server/live ${'and some more text '.repeat(280)}`;
    expect(pasted.length).toBeGreaterThan(5000);
    const message = rejection(pasted);
    expect(message).toContain(`${pasted.trim().length} characters`);
    expect(message).toContain('2048');
    expect(message.length).toBeLessThan(200);
    expect(message).not.toContain('some more text');
  });

  it('echoes at most ~80 characters of the input', () => {
    const longHost = `${'x'.repeat(300)}$`;
    const message = rejection(`mms://${longHost}/`);
    const longestRunOfX = Math.max(...(message.match(/x+/g) ?? ['']).map((run) => run.length));
    expect(longestRunOfX).toBeLessThanOrEqual(80);
    expect(longestRunOfX).toBeGreaterThan(0);
  });
});

describe('formatStreamUrl', () => {
  it.each([
    [{ scheme: 'mms', host: 'server', port: 1755, path: '/live' }, 'mms://server/live'],
    [{ scheme: 'mms', host: 'server', port: 80, path: '/live' }, 'mms://server:80/live'],
    [{ scheme: 'http', host: 'server', port: 80, path: '/live' }, 'http://server/live'],
    [{ scheme: 'https', host: 'server', port: 443, path: '/' }, 'https://server/'],
    [{ scheme: 'rtsp', host: '2001:db8::1', port: 554, path: '/x' }, 'rtsp://[2001:db8::1]/x'],
    [{ scheme: 'rtspt', host: '::1', port: 8554, path: '/x?y=1' }, 'rtspt://[::1]:8554/x?y=1'],
    [{ scheme: 'mmsh', host: '192.0.2.1', port: 8080, path: 'x' }, 'mmsh://192.0.2.1:8080/x'],
  ] as const)('%j → %s', (parts, expected) => {
    expect(formatStreamUrl(parts)).toBe(expected);
  });
});

describe('parseIpAddress', () => {
  it.each([
    ['192.0.2.10', '192.0.2.10'],
    [' 10.0.0.1 ', '10.0.0.1'],
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['"2001:db8::1"', '2001:db8::1'],
  ])('%s → %s', (input, expected) => {
    expect(parseIpAddress(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['empty', '', /No IP address given/],
    ['example.com', 'example.com', /is a host name, not an IP address/],
    ['999.0.0.1', '999.0.0.1', /not a valid IPv4 address/],
    ['010.0.0.1', '010.0.0.1', /not a valid IPv4 address/],
    ['1.2.3', '1.2.3', /not a valid IPv4 address/],
    ['fe80::1%eth0', 'fe80::1%eth0', /zone/],
    ['::g', '::g', /not an IP address/],
    ['1.2.3.4:80', '1.2.3.4:80', /not an IP address/],
    ['500 characters', 'x'.repeat(500), /too long/],
  ])('%s is rejected', (_label, input, pattern) => {
    const result = parseIpAddress(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toMatch(pattern);
      expect(result.message).toMatch(/192\.0\.2\.10/);
    }
  });
});

describe('properties', () => {
  const urlPieces = fc.constantFrom(
    'mms',
    'RTSP',
    'http',
    'ftp',
    '://',
    ':',
    '//',
    '/',
    '[',
    ']',
    '::1',
    '2001:db8::',
    '@',
    '?',
    '#',
    '%',
    '%41',
    '80',
    '0',
    '65536',
    'host',
    'bücher',
    'xn--',
    '.',
    '..',
    '1.2.3.4',
    ' ',
    '\\',
    'C:',
    '"',
    '<',
    '>',
    '\u0000',
    '\u200b',
    '\ud800',
    '例',
  );
  const anyInput = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.array(urlPieces, { maxLength: 12 }).map((pieces) => pieces.join('')),
    fc.webUrl({ validSchemes: [...STREAM_SCHEMES, 'ftp'], withQueryParameters: true, withFragments: true }),
    fc.string({ unit: 'binary-ascii', minLength: 2000, maxLength: 2100 }),
  );

  it('never throws; yields a valid target or a short non-empty message', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = parseStreamUrl(input);
        if (result.ok) {
          const { value } = result;
          expect(Number.isInteger(value.port) && value.port >= 1 && value.port <= 65535).toBe(true);
          expect(value.path.startsWith('/')).toBe(true);
          expect(STREAM_SCHEMES).toContain(value.scheme);
          expect(value.host.length).toBeGreaterThan(0);
          expect(value.url).not.toMatch(/\s/u);
          // Credentials never survive into the canonical URL.
          expect(value.url.split('/')[2]).not.toContain('@');
          // Canonical URLs are stable: parsing one gives the same target.
          const again = parseStreamUrl(value.url);
          expect(again.ok && again.value.url).toBe(value.url);
        } else {
          expect(result.message.length).toBeGreaterThan(0);
          expect(result.message.length).toBeLessThanOrEqual(300);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts every web URL with a stream scheme', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ validSchemes: [...STREAM_SCHEMES], withQueryParameters: true, withFragments: true }),
        (url) => {
          const result = parseStreamUrl(url);
          expect(result.ok ? '' : result.message).toBe('');
        },
      ),
      { numRuns: 500 },
    );
  });

  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((bytes) => bytes.join('.'));
  const ipv6 = fc
    .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })
    // Canonical text form (RFC 5952) as WHATWG writes it, so the expectation is the wire form.
    .map((groups) =>
      new URL(`http://[${groups.map((group) => group.toString(16)).join(':')}]/`).hostname.slice(1, -1),
    );
  const name = fc.domain().filter((domain) => !domain.includes('xn--'));
  const path = fc
    .tuple(fc.webPath(), fc.option(fc.webQueryParameters(), { nil: undefined }))
    .map(([segments, query]) => `/${segments.replace(/^\/+/, '')}${query === undefined ? '' : `?${query}`}`);

  it('round-trips parseStreamUrl(formatStreamUrl(target))', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STREAM_SCHEMES),
        fc.oneof(name, ipv4, ipv6),
        fc.integer({ min: 1, max: 65535 }),
        path,
        (scheme, host, port, pathAndQuery) => {
          const url = formatStreamUrl({ scheme, host, port, path: pathAndQuery });
          const target = parsed(url);
          expect(target).toMatchObject({ scheme, host, port, path: pathAndQuery, url });
          expect(target.explicitPort).toBe(port !== defaultPort(scheme));
          expect(target.hostKind).toBe(host.includes(':') ? 'ipv6' : /^[\d.]+$/.test(host) ? 'ipv4' : 'name');
        },
      ),
      { numRuns: 1000 },
    );
  });
});
