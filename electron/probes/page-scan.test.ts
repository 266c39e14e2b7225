import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asxEntries, decodeHtmlEntities, findMmsLinks, MAX_MMS_LINKS, replacementUrls } from './page-scan';

// The kind of page that hands Windows Media Player its URL: an embedded player object (2000s style), a link,
// a script, and prose.
const EMBED_PAGE = `<!DOCTYPE html>
<html><head><title>Radio</title>
<script>var stream = "mms:\\/\\/radio.example.org\\/live";</script></head>
<body>
<object classid="clsid:6BF52A52-394A-11d3-B153-00C04F79FAA6">
  <param name="URL" value="mms://radio.example.org/live">
  <embed type="application/x-mplayer2" src='mmst://radio.example.org:1755/live?id=1&amp;q=hi'>
</object>
<a href="MMS://Radio.Example.org/live">Listen</a>
<p>Or open mmsu://radio.example.org/backup. Not xmms://player.local/x, not mmsh://radio.example.org/live.</p>
<pre>&lt;a href=&quot;mms://escaped.example.org/clip.wmv&quot;&gt;</pre>
</body></html>`;

describe('findMmsLinks', () => {
  it('finds links in attributes, scripts, prose and escaped markup, decoded and deduplicated', () => {
    expect(findMmsLinks(EMBED_PAGE)).toEqual([
      'mms://radio.example.org/live',
      'mmst://radio.example.org:1755/live?id=1&q=hi',
      'mmsu://radio.example.org/backup',
      'mms://escaped.example.org/clip.wmv',
    ]);
  });

  it('reads ASX refs and entryrefs', () => {
    const asx = `<ASX version="3.0"><Entry><Ref href="mms://a.example/one"/><Ref HREF='mms://b.example/one'/></Entry>
      <EntryRef href="mms://c.example/more.asx" /></ASX>`;
    expect(findMmsLinks(asx)).toEqual([
      'mms://a.example/one',
      'mms://b.example/one',
      'mms://c.example/more.asx',
    ]);
  });

  it('keeps IPv6 hosts and ports, trims sentence punctuation, and rejects links without a host', () => {
    expect(findMmsLinks('see (mms://[2001:db8::1]:8080/x).')).toEqual(['mms://[2001:db8::1]:8080/x']);
    expect(findMmsLinks('try mms://host/a_(b) now')).toEqual(['mms://host/a_(b)']);
    expect(findMmsLinks('broken: mms:// and mms:///path and mms://:80/x')).toEqual([]);
  });

  it('stops at 50 links', () => {
    const page = Array.from({ length: 80 }, (_, i) => `<a href="mms://host${i}.example/s">${i}</a>`).join(
      '\n',
    );
    const links = findMmsLinks(page);
    expect(links).toHaveLength(MAX_MMS_LINKS);
    expect(links[0]).toBe('mms://host0.example/s');
    expect(links[49]).toBe('mms://host49.example/s');
  });

  it('never throws, returns only bounded, unique mms/mmst/mmsu URLs for any text', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc
        .array(
          fc.oneof(
            fc.constantFrom(
              'mms://',
              'MMST://',
              'mmsu://',
              '&amp;',
              '&#x26;',
              '"',
              '<',
              ' ',
              'h.x',
              '/',
              ':80',
            ),
            fc.string({ maxLength: 5 }),
          ),
          { maxLength: 60 },
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (input) => {
        const links = findMmsLinks(input);
        expect(links.length).toBeLessThanOrEqual(MAX_MMS_LINKS);
        expect(new Set(links).size).toBe(links.length);
        for (const link of links) {
          expect(link).toMatch(/^mms[tu]?:\/\/[^\s"'<>]/);
          expect(link.length).toBeLessThanOrEqual(2048);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe('decodeHtmlEntities', () => {
  it('decodes named, decimal and hex entities and leaves unknown or invalid ones alone', () => {
    expect(decodeHtmlEntities('a&amp;b&#38;c&#x26;d&quot;&lt;&gt;&apos;')).toBe(`a&b&c&d"<>'`);
    expect(decodeHtmlEntities('&bogus; &#xD800; &#0; &#99999999;')).toBe('&bogus; &#xD800; &#0; &#99999999;');
  });
});

describe('asxEntries', () => {
  it('reads entries with titles and alternative refs, entryrefs, and ignores commented-out refs', () => {
    const asx = `<asx version="3.0">
      <title>Station</title>
      <!-- <entry><ref href="mms://old.example/gone"/></entry> -->
      <ENTRY>
        <TITLE>Morning &amp; News</TITLE>
        <REF HREF = "mms://primary.example/news" />
        <Ref href=http://backup.example/news />
      </ENTRY>
      <entryref href="http://lists.example/more.asx"/>
      <ref href="mms://stray.example/x"/>
    </asx>`;
    expect(asxEntries(asx)).toEqual([
      {
        kind: 'entry',
        title: 'Morning & News',
        hrefs: ['mms://primary.example/news', 'http://backup.example/news'],
      },
      { kind: 'entryref', title: null, hrefs: ['http://lists.example/more.asx'] },
      { kind: 'entry', title: null, hrefs: ['mms://stray.example/x'] },
    ]);
  });

  it('does not take the slash of a self-closing tag into an unquoted href', () => {
    expect(asxEntries('<asx><entry><ref href=mms://x.example/y/></entry></asx>')).toEqual([
      { kind: 'entry', title: null, hrefs: ['mms://x.example/y'] },
    ]);
  });

  it('reads the [Reference] files Windows Media servers give web browsers', () => {
    const reference =
      '[Reference]\r\nRef1=http://wm.example/live?MSWMExt=.asf\r\nRef2=http://10.0.0.5:80/live?MSWMExt=.asf\r\n';
    expect(asxEntries(reference)).toEqual([
      {
        kind: 'entry',
        title: null,
        hrefs: ['http://wm.example/live?MSWMExt=.asf', 'http://10.0.0.5:80/live?MSWMExt=.asf'],
      },
    ]);
  });

  it('returns nothing for text that is not a playlist, and never throws', () => {
    expect(asxEntries('<html><body>hi</body></html>')).toEqual([]);
    expect(asxEntries('')).toEqual([]);
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (input) => {
        for (const entry of asxEntries(`<asx>${input}`)) expect(entry.hrefs.length).toBeGreaterThan(0);
      }),
      { numRuns: 800 },
    );
  });
});

describe('replacementUrls', () => {
  it.each([
    ['mms://media.example.com/live', 'rtsp://media.example.com/live', 'http://media.example.com/live'],
    ['mms://media.example.com', 'rtsp://media.example.com/', 'http://media.example.com/'],
    [
      'mms://media.example.com:1755/a/b.wmv?x=1',
      'rtsp://media.example.com/a/b.wmv?x=1',
      'http://media.example.com/a/b.wmv?x=1',
    ],
    [
      'mmst://media.example.com:8080/live#t',
      'rtsp://media.example.com:8080/live',
      'http://media.example.com:8080/live',
    ],
    ['MMSU://user:pw@[2001:db8::7]/x', 'rtsp://[2001:db8::7]/x', 'http://[2001:db8::7]/x'],
    ['mmsh://media.example.com:80/live', 'rtsp://media.example.com/live', 'http://media.example.com/live'],
  ])('%s → %s, %s', (input, rtsp, http) => {
    expect(replacementUrls(input)).toEqual({ rtsp, http });
  });

  it.each(['http://media.example.com/live', 'mms:/nohost', 'mms://host:99999/x', 'not a url', ''])(
    '%s → null',
    (input) => {
      expect(replacementUrls(input)).toBeNull();
    },
  );

  it('keeps host and path of any well-formed mms URL, and never throws on junk', () => {
    const host = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}(\.[a-z]{2,5}){1,2}$/);
    const path = fc.stringMatching(/^(\/[A-Za-z0-9._-]{1,10}){0,3}$/);
    fc.assert(
      fc.property(host, path, (h, p) => {
        const urls = replacementUrls(`mms://${h}${p}`);
        expect(urls).toEqual({ rtsp: `rtsp://${h}${p || '/'}`, http: `http://${h}${p || '/'}` });
      }),
    );
    fc.assert(fc.property(fc.string({ maxLength: 100 }), (junk) => void replacementUrls(junk)));
  });
});
