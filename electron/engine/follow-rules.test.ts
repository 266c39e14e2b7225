import { describe, expect, it } from 'vitest';
import type { DiagnosisReport, FollowedPlaylist, Verdict } from '../diagnosis/types';
import { parseStreamUrl } from '../input/stream-url';
import type { ProbeResult } from '../probes/types';
import {
  checkHop,
  chooseEntry,
  MAX_REDIRECTS,
  nextStep,
  playlistVerdict,
  redirectVerdict,
  unfollowedRedirectVerdict,
} from './follow-rules';

function verdict(code: Verdict['code'], extra: Partial<Verdict> = {}): Verdict {
  return {
    code,
    summary: `summary of ${code}`,
    reason: `reason of ${code}`,
    fix: `fix of ${code}`,
    suggestedUrl: null,
    adminNote: null,
    ...extra,
  };
}

function probe(fields: Partial<ProbeResult>): ProbeResult {
  return {
    protocol: 'http',
    port: 80,
    address: '192.0.2.1',
    reachability: 'open',
    reachabilityReason: '',
    speaks: true,
    server: null,
    status: 200,
    detail: '',
    durationMs: 1,
    replyKind: 'http',
    ending: 'complete',
    evidence: { sent: '', received: '' },
    ...fields,
  };
}

function target(url: string) {
  const parsed = parseStreamUrl(url);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

function report(probes: ProbeResult[], code: Verdict['code'] = 'not-a-streaming-server'): DiagnosisReport {
  return { probes, verdict: verdict(code) } as unknown as DiagnosisReport;
}

describe('checkHop', () => {
  const none = new Set<string>();
  it.each([
    ['rtsp://Media.Example.org:554/live', 'rtsp://media.example.org/live'],
    ['mmsh://media.example.org/live', 'mmsh://media.example.org/live'],
    ['https://cdn.example.org/radio.asx', 'https://cdn.example.org/radio.asx'],
  ])('follows %s as %s', (location, url) => {
    const hop = checkHop(location, none, 0);
    expect(hop.ok && hop.target.url).toBe(url);
  });

  it.each([
    ['file:///C:/Windows/win.ini', /file/],
    ['javascript:alert(1)', /not an absolute stream address/],
    ['ftp://media.example.org/clip.wmv', /not a stream address/],
    ['elsewhere/live', /not an absolute stream address/],
    ['rtsp://media.example.org/a b', /space/],
  ])('refuses %s', (location, why) => {
    const hop = checkHop(location, none, 0);
    expect(hop.ok).toBe(false);
    if (!hop.ok) expect(hop.reason).toMatch(why);
  });

  it('detects a loop by the canonical form of the address', () => {
    const hop = checkHop('RTSP://media.example.org:554/a', new Set(['rtsp://media.example.org/a']), 1);
    expect(hop.ok).toBe(false);
    if (!hop.ok) expect(hop.reason).toMatch(/loop/);
  });

  it(`refuses hop number ${MAX_REDIRECTS + 1}`, () => {
    expect(checkHop('rtsp://media.example.org/a', none, MAX_REDIRECTS - 1).ok).toBe(true);
    expect(checkHop('rtsp://media.example.org/a', none, MAX_REDIRECTS).ok).toBe(false);
  });
});

describe('nextStep', () => {
  const redirect = { status: 302, location: 'rtsp://other.example.org/live' };
  const playlist = {
    format: 'asx' as const,
    entries: ['mms://s.example.org/live'],
    rejected: 0,
    truncated: false,
  };

  it('follows the redirect met by the address’s own protocol on its own port', () => {
    const rtsp = target('rtsp://media.example.org/old');
    expect(
      nextStep(report([probe({ protocol: 'rtsp', port: 554, redirect })], 'stream-not-found'), rtsp),
    ).toEqual({
      kind: 'redirect',
      ...redirect,
    });
    // The same redirect on another port or protocol is not what the player meets.
    expect(nextStep(report([probe({ protocol: 'mmsh', port: 80, redirect })]), rtsp)).toBeNull();
  });

  it('follows an MMS redirect, which has no status', () => {
    const mms = probe({
      protocol: 'mms',
      port: 1755,
      mms: {
        serverVersion: null,
        connectHr: 0,
        authPackage: null,
        pathOutcome: 'redirected',
        pathHr: null,
        redirectUrl: 'mms://new.example.org/live',
        broadcast: null,
      },
    });
    expect(nextStep(report([mms], 'stream-not-found'), target('mms://media.example.org/live'))).toEqual({
      kind: 'redirect',
      status: null,
      location: 'mms://new.example.org/live',
    });
  });

  it('follows a playlist only when no playable route was found (a playlist itself never is one)', () => {
    const page = probe({ playlist });
    expect(nextStep(report([page]), target('http://www.example.org/radio.asx'))?.kind).toBe('playlist');
    expect(nextStep(report([page], 'use-rtsp'), target('http://www.example.org/radio.asx'))).toBeNull();
    expect(
      nextStep(report([probe({ port: 443, playlist })]), target('https://www.example.org/r.asx'))?.kind,
    ).toBe('playlist');
    expect(
      nextStep(
        report([probe({ playlist: { ...playlist, entries: [] } })]),
        target('http://www.example.org/'),
      ),
    ).toBeNull();
  });
});

describe('verdict words', () => {
  it('a followed redirect offers the target only once it was tested and works', () => {
    const hops = [{ from: 'rtsp://a.example/old', to: 'rtsp://b.example/live', status: 302 }];
    const works = redirectVerdict('rtsp://a.example/old', hops, verdict('ok'));
    expect(works.suggestedUrl).toBe('rtsp://b.example/live');
    expect(works.summary).toContain('rtsp://a.example/old redirects to rtsp://b.example/live');
    const missing = redirectVerdict('rtsp://a.example/old', hops, verdict('stream-not-found'));
    expect(missing.suggestedUrl).toBeNull();
  });

  it('an unfollowed redirect is named with its controls stripped and never offered', () => {
    const own = verdict('stream-not-found', { suggestedUrl: 'rtsp://evil.example/x' });
    const words = unfollowedRedirectVerdict(
      own,
      new Set(['rtsp://evil.example/x']),
      'javascript:\u001b[2Jx',
      'no',
    );
    expect(words.suggestedUrl).toBeNull();
    expect(words.reason).not.toMatch(/\p{Cc}/u);
    expect(words.fix).toContain('did not test');
  });

  it('keeps a tested replacement the run found by itself', () => {
    const own = verdict('use-rtsp', { suggestedUrl: 'rtsp://media.example.org/live' });
    expect(unfollowedRedirectVerdict(own, new Set(['mms://x/y']), 'mms://x/y', 'loop').suggestedUrl).toBe(
      'rtsp://media.example.org/live',
    );
  });

  it('the playlist verdict names the playlist and the entry, and prefers the first that plays', () => {
    const playlist: FollowedPlaylist = {
      url: 'http://www.example.org/radio.asx',
      format: 'asx',
      rejected: 0,
      truncated: false,
      entries: [
        { url: 'mms://a.example/live', verdict: verdict('ports-filtered') },
        { url: 'mms://b.example/live', verdict: null, untested: 'time' },
        {
          url: 'mms://c.example/live',
          verdict: verdict('use-rtsp', { suggestedUrl: 'rtsp://c.example/live' }),
        },
      ],
    };
    const chosen = chooseEntry(playlist.entries)!;
    expect(chosen.url).toBe('mms://c.example/live');
    const words = playlistVerdict(playlist, chosen, verdict('not-a-streaming-server'));
    expect(words.code).toBe('use-rtsp');
    expect(words.summary).toMatch(
      /^The playlist at http:\/\/www\.example\.org\/radio\.asx points at mms:\/\/c\.example\/live\./,
    );
    expect(words.suggestedUrl).toBe('rtsp://c.example/live');
    expect(words.adminNote).toContain('to point at rtsp://c.example/live');
    expect(chooseEntry([{ url: 'x', verdict: null }])).toBeNull();
  });
});
