import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../electron/common/report';
import { displayText, FollowedChain } from './FollowedChain';

const useRtsp: Verdict = {
  code: 'use-rtsp',
  summary: 'Use rtsp://streamhost/live — the server answers over RTSP but not over MMS.',
  reason: '',
  fix: '',
  suggestedUrl: 'rtsp://streamhost/live',
  adminNote: null,
};

describe('FollowedChain', () => {
  it('shows nothing when nothing was followed', () => {
    expect(renderToStaticMarkup(<FollowedChain report={{ redirects: [], playlist: null }} />)).toBe('');
    expect(renderToStaticMarkup(<FollowedChain report={{}} />)).toBe('');
  });

  it('lists the redirect chain and each playlist entry with its verdict or why it was not tested', () => {
    const html = renderToStaticMarkup(
      <FollowedChain
        report={{
          redirects: [
            { from: 'http://www.example.org/radio', to: 'http://www.example.org/radio.asx', status: 302 },
          ],
          playlist: {
            url: 'http://www.example.org/radio.asx',
            format: 'asx',
            rejected: 1,
            truncated: false,
            entries: [
              { url: 'mms://streamhost/live', verdict: useRtsp },
              {
                url: 'mms://backup/live',
                verdict: null,
                untested: 'it did not finish within the time bound',
              },
            ],
          },
        }}
      />,
    );
    expect(html).toContain('redirects (302) to');
    expect(html).toContain('The playlist at <code>http://www.example.org/radio.asx</code>');
    expect(html).toContain('<code>mms://streamhost/live</code>');
    expect(html).toContain('A working address was found');
    expect(html).toContain('not tested: it did not finish within the time bound');
    expect(html).toContain('One entry was not a stream address');
  });

  it('renders server text as text: markup escaped, control characters gone, length bounded', () => {
    const hostile = `<img src=x onerror=alert(1)>\u001b[2J\u0007${'x'.repeat(1000)}`;
    const html = renderToStaticMarkup(
      <FollowedChain
        report={{
          playlist: {
            url: 'http://www.example.org/',
            format: 'html',
            rejected: 0,
            truncated: true,
            entries: [{ url: 'mms://h/x', verdict: { ...useRtsp, summary: hostile } }],
          },
        }}
      />,
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
    expect(html).not.toMatch(/\p{Cc}/u);
    expect(html).not.toContain('x'.repeat(400));
    expect(html).toContain('only these were tested');
    expect(displayText('a\u0000b\u009bc')).toBe('a b c');
  });
});
