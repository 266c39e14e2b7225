import { describe, expect, it } from 'vitest';
import type { StreamTarget } from '../input/types';
import type { ProbeResult } from '../probes/types';
import { evaluateCheck, planChecks, planProbes, type Evidence } from './checks';
import { judgeProbe } from './routes';
import type { DnsResult } from './types';
import { decideVerdict } from './verdict';

const target: StreamTarget = {
  scheme: 'mms',
  host: 'media.example.org',
  displayHost: 'media.example.org',
  hostKind: 'name',
  port: 1755,
  explicitPort: false,
  path: '/live',
  url: 'mms://media.example.org/live',
  hadCredentials: false,
};
const resolved: DnsResult = { status: 'resolved', addresses: ['192.0.2.10'], durationMs: 3 };

function probe(overrides: Partial<ProbeResult> & Pick<ProbeResult, 'protocol' | 'port'>): ProbeResult {
  return {
    address: '192.0.2.10',
    reachability: 'open',
    reachabilityReason: 'accepted',
    speaks: false,
    server: null,
    status: null,
    detail: 'detail',
    durationMs: 5,
    replyKind: 'nothing',
    ending: 'timeout',
    evidence: { sent: '', received: '' },
    ...overrides,
  };
}

const refused = (protocol: ProbeResult['protocol'], port: number): ProbeResult =>
  probe({ protocol, port, reachability: 'refused', reachabilityReason: 'refused', ending: null });
const filtered = (protocol: ProbeResult['protocol'], port: number): ProbeResult =>
  probe({ protocol, port, reachability: 'timeout', reachabilityReason: 'no answer', ending: null });

const wmsRtsp = (describeStatus: number, asf = true): ProbeResult =>
  probe({
    protocol: 'rtsp',
    port: 554,
    speaks: true,
    server: 'WMServer/9.5.6001.18281',
    status: describeStatus,
    replyKind: 'rtsp',
    rtsp: {
      product: 'WMServer',
      optionsStatus: 200,
      methods: ['DESCRIBE'],
      describeStatus,
      sdpHasAsfHeader: asf && describeStatus === 200,
      redirectUrl: null,
    },
  });

const nginx = (protocol: 'mmsh' | 'http'): ProbeResult =>
  probe({
    protocol,
    port: 80,
    speaks: protocol === 'http',
    server: 'nginx/1.22.1',
    status: 404,
    replyKind: 'http',
  });

function verdictOf(probes: ProbeResult[], dns: DnsResult = resolved, t: StreamTarget = target) {
  return decideVerdict({ target: t, error: null, dns, probes });
}

describe('decideVerdict', () => {
  it('suggests the tested rtsp:// URL when mms:// reaches a server that speaks only RTSP', () => {
    const v = verdictOf([refused('mms', 1755), wmsRtsp(200), refused('mmsh', 80), refused('http', 80)]);
    expect(v.code).toBe('use-rtsp');
    expect(v.suggestedUrl).toBe('rtsp://media.example.org/live');
  });

  it('falls back to http:// when only Windows Media HTTP streaming answers', () => {
    const cougar = probe({
      protocol: 'mmsh',
      port: 80,
      speaks: true,
      server: 'Cougar/9.01.01.3814',
      status: 200,
      replyKind: 'http',
    });
    const v = verdictOf([refused('mms', 1755), refused('rtsp', 554), cougar]);
    expect(v.code).toBe('use-http');
    expect(v.suggestedUrl).toBe('http://media.example.org/live');
  });

  it('says ok when the address’s own protocol works', () => {
    const rtspTarget = {
      ...target,
      scheme: 'rtsp' as const,
      port: 554,
      url: 'rtsp://media.example.org/live',
    };
    expect(verdictOf([wmsRtsp(200)], resolved, rtspTarget).code).toBe('ok');
  });

  it('names the ordinary web server behind 0xC00D2EE8', () => {
    const v = verdictOf([refused('mms', 1755), refused('rtsp', 554), nginx('mmsh'), nginx('http')]);
    expect(v.code).toBe('not-a-streaming-server');
    expect(v.summary).toContain('nginx/1.22.1');
  });

  it('reports a missing publishing point when a WMS answers 404', () => {
    expect(verdictOf([refused('mms', 1755), wmsRtsp(404)]).code).toBe('stream-not-found');
  });

  it('reports authentication when the stream asks for it', () => {
    expect(verdictOf([refused('mms', 1755), wmsRtsp(401)]).code).toBe('auth-required');
  });

  it('tells a non-Windows-Media RTSP server apart', () => {
    const vlc = probe({
      protocol: 'rtsp',
      port: 554,
      speaks: true,
      server: 'VLC/3.0.21',
      status: 200,
      replyKind: 'rtsp',
      rtsp: {
        product: 'VLC',
        optionsStatus: 200,
        methods: [],
        describeStatus: 200,
        sdpHasAsfHeader: false,
        redirectUrl: null,
      },
    });
    const v = verdictOf([refused('mms', 1755), vlc, refused('mmsh', 80)]);
    expect(v.code).toBe('non-wms-rtsp-server');
    expect(v.suggestedUrl).toBe('rtsp://media.example.org/live');
  });

  it('tells filtered from closed ports', () => {
    expect(verdictOf([filtered('mms', 1755), filtered('rtsp', 554), filtered('mmsh', 80)]).code).toBe(
      'ports-filtered',
    );
    expect(verdictOf([refused('mms', 1755), refused('rtsp', 554), refused('mmsh', 80)]).code).toBe(
      'ports-closed',
    );
    expect(verdictOf([refused('mms', 1755), filtered('rtsp', 554)]).code).toBe('ports-filtered');
  });

  it('reports an unreachable host', () => {
    const unreachable = probe({
      protocol: 'rtsp',
      port: 554,
      reachability: 'unreachable',
      reachabilityReason: 'host unreachable',
    });
    expect(verdictOf([unreachable]).code).toBe('host-unreachable');
  });

  it('reports DNS failure before anything else', () => {
    const v = verdictOf([], { status: 'failed', addresses: [], durationMs: 1, error: 'no such name' });
    expect(v.code).toBe('dns-failed');
    expect(v.reason).toBe('no such name');
  });

  it('treats an open but silent port as not a streaming server, never as filtered', () => {
    const silent = probe({
      protocol: 'mms',
      port: 1755,
      replyKind: 'nothing',
      ending: 'timeout',
      detail: 'open, silent',
    });
    expect(verdictOf([silent, refused('rtsp', 554), refused('mmsh', 80)]).code).toBe(
      'not-a-streaming-server',
    );
  });

  it('recognises an MMS-only server that modern players cannot use', () => {
    const mms = probe({
      protocol: 'mms',
      port: 1755,
      speaks: true,
      server: 'Windows Media Services 4.1.0.3927',
      replyKind: 'mms',
      mms: {
        serverVersion: '4.1.0.3927',
        connectHr: 0,
        authPackage: null,
        pathOutcome: 'exists',
        pathHr: 0,
        redirectUrl: null,
        broadcast: true,
      },
    });
    const v = verdictOf([mms, refused('rtsp', 554), refused('mmsh', 80)]);
    expect(v.code).toBe('mms-only-server');
    expect(v.suggestedUrl).toBe('mmst://media.example.org/live');
  });
});

describe('judgeProbe', () => {
  it('does not call a WMS RTSP answer without the ASF header "works"', () => {
    expect(judgeProbe(wmsRtsp(200, false))).toBe('non-wms');
    expect(judgeProbe(wmsRtsp(200))).toBe('works');
  });
});

describe('checks', () => {
  it('plans 1755, 554 and 80 for an mms:// address, and the address’s own port when explicit', () => {
    const keys = planProbes(target).map((p) => `${p.protocol}:${p.port}`);
    expect(keys).toEqual(['mms:1755', 'rtsp:554', 'mmsh:80', 'http:80']);
    const explicit = planProbes({ ...target, port: 8080, explicitPort: true }).map(
      (p) => `${p.protocol}:${p.port}`,
    );
    expect(explicit).toEqual([
      'mms:8080',
      'rtsp:8080',
      'mmsh:8080',
      'mms:1755',
      'rtsp:554',
      'mmsh:80',
      'http:80',
    ]);
  });

  it('gives every check a tier, a status and a command, and flags a filtered port as failed', () => {
    const probes = [filtered('mms', 1755), wmsRtsp(200), refused('mmsh', 80), refused('http', 80)];
    const evidence: Evidence = {
      target,
      error: null,
      expectIp: '192.0.2.99',
      dns: resolved,
      probes,
      knownGood: null,
    };
    const checks = planChecks(target, planProbes(target), { knownGood: false }).map((plan) =>
      evaluateCheck(plan, evidence),
    );
    const byId = new Map(checks.map((c) => [c.id, c]));
    expect(byId.get('port-1755')?.status).toBe('fail');
    expect(byId.get('port-1755')?.command).toBe('Test-NetConnection "media.example.org" -Port 1755');
    expect(byId.get('route-rtsp')?.status).toBe('pass');
    expect(byId.get('dns-expected')?.status).toBe('fail');
    expect(byId.get('url-scheme')?.status).toBe('warn');
    for (const check of checks) {
      expect(['simple', 'moderate', 'advanced']).toContain(check.tier);
      expect(check.summary.length).toBeGreaterThan(0);
    }
    expect(new Set(checks.map((c) => c.tier))).toEqual(new Set(['simple', 'moderate', 'advanced']));
  });
});
