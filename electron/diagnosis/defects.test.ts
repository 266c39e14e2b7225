// The wrong or self-contradicting verdicts seen against real servers and the simulators, one test each.
import { describe, expect, it } from 'vitest';
import { parseErrorCode } from '../input/error-codes';
import type { KnownErrorCode } from '../common/target';
import type { DnsResult } from '../common/report';
import type { ProbeResult } from '../common/probe-result';
import { evaluateCheck, planChecks, planProbes } from './checks';
import { judgeProbe } from './routes';
import { decideVerdict } from './verdict';
import { dnsFailed, mms, mmsh, page, probe, refused, resolved, rtsp, targetOf } from './test-evidence';

function code(text: string): KnownErrorCode {
  const parsed = parseErrorCode(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

const verdictText = (v: { summary: string; reason: string; fix: string; adminNote: string | null }): string =>
  [v.summary, v.reason, v.fix, v.adminNote ?? ''].join(' ');

function checksOf(scheme: Parameters<typeof targetOf>[0], probes: ProbeResult[], dns: DnsResult = resolved) {
  const target = targetOf(scheme);
  const plans = planChecks(target, planProbes(target), { knownGood: false });
  return plans.map((plan) =>
    evaluateCheck(plan, { target, error: null, expectIp: null, dns, probes, knownGood: null }),
  );
}

describe('defects named in the issue', () => {
  it('a WMS 9 that speaks MMS, RTSP and HTTP, given as mms://, is not said to lack MMS', () => {
    const probes = [mms('exists'), rtsp(200), mmsh(200), page(200)];
    const v = decideVerdict({ target: targetOf('mms'), error: null, dns: resolved, probes });
    expect(['ok', 'use-rtsp']).toContain(v.code);
    const text = verdictText(v);
    expect(text).not.toMatch(/not over MMS|no longer speaks MMS|does not speak MMS/);
    expect(text).toMatch(/speaks MMS/);
    expect(text).not.toMatch(/is works/);
  });

  it('a 403 is access-denied and a 503 is server-unavailable, never "the path is not there"', () => {
    const target = targetOf('rtsp');
    const denied = decideVerdict({
      target,
      error: null,
      dns: resolved,
      probes: [rtsp(403), refused('mms', 1755)],
    });
    expect(denied.code).toBe('access-denied');
    const busy = decideVerdict({
      target,
      error: null,
      dns: resolved,
      probes: [rtsp(503), refused('mms', 1755)],
    });
    expect(busy.code).toBe('server-unavailable');
    const full = decideVerdict({ target, error: null, dns: resolved, probes: [rtsp(453)] });
    expect(full.code).toBe('server-unavailable');
  });

  it('an RTSP 404 from a non-Windows-Media server is not sent to VLC with the URL that answered 404', () => {
    const vlc404 = rtsp(404, { product: 'VLC', server: 'VLC/3.0.21' });
    const v = decideVerdict({ target: targetOf('rtsp'), error: null, dns: resolved, probes: [vlc404] });
    expect(v.code).toBe('stream-not-found');
    expect(v.suggestedUrl).toBeNull();
    expect(verdictText(v)).not.toMatch(/A Windows Media server answers/);
  });

  it('a Windows Media server that answers OPTIONS but not DESCRIBE is not called "not a Windows Media server"', () => {
    const v = decideVerdict({ target: targetOf('rtsp'), error: null, dns: resolved, probes: [rtsp(null)] });
    expect(v.code).not.toBe('non-wms-rtsp-server');
    expect(v.code).not.toBe('ok');
    expect(verdictText(v)).not.toMatch(/not a Windows Media/);
  });

  it('a refused or unchecked MMS conversation does not count as working', () => {
    const target = targetOf('mms', '/');
    const unchecked = decideVerdict({
      target,
      error: null,
      dns: resolved,
      probes: [mms('not-checked'), refused('rtsp', 554), refused('mmsh', 80)],
    });
    expect(unchecked.suggestedUrl).toBeNull();
    const refusedConnect = decideVerdict({
      target: targetOf('mms'),
      error: null,
      dns: resolved,
      probes: [mms('not-checked', { connectHr: 0x80070005 }), refused('rtsp', 554), refused('mmsh', 80)],
    });
    expect(refusedConnect.code).toBe('access-denied');
    expect(refusedConnect.suggestedUrl).toBeNull();
  });

  it('--code shapes the words: a 0xC00D2EFA run does not claim to be 0xC00D2EE8', () => {
    const probes = [refused('mms', 1755), refused('rtsp', 554), mmsh(404, { cougar: false }), page(404)];
    const v = decideVerdict({ target: targetOf('http'), error: code('0xC00D2EFA'), dns: resolved, probes });
    expect(v.code).toBe('not-a-streaming-server');
    const text = verdictText(v);
    expect(text).toContain('0xC00D2EFA');
    expect(text).not.toMatch(/This is what Windows Media Player reports as 0xC00D2EE8/);
    expect(text).toMatch(/points at 0xC00D2EE8/);
  });

  it('--expect-ip that DNS does not return is dns-mismatch, never a "use this address" verdict', () => {
    const dns: DnsResult = { ...resolved, expectedIp: '192.0.2.99', matchesExpected: false };
    const v = decideVerdict({
      target: targetOf('mms'),
      error: null,
      dns,
      probes: [rtsp(200), refused('mms', 1755)],
    });
    expect(v.code).toBe('dns-mismatch');
    expect(v.suggestedUrl).toBeNull();
  });

  it('a name that does not resolve shows its DNS check as failed, not skipped', () => {
    const dnsCheck = checksOf('mms', [], dnsFailed).find((c) => c.id === 'dns')!;
    expect(dnsCheck.status).toBe('fail');
  });

  it('mmsh:// gets use-http with the tested http:// address', () => {
    const v = decideVerdict({
      target: targetOf('mmsh'),
      error: null,
      dns: resolved,
      probes: [mmsh(200), page(200), refused('mms', 1755), refused('rtsp', 554)],
    });
    expect(v.code).toBe('use-http');
    expect(v.suggestedUrl).toBe('http://media.example.org/live');
  });

  it('lists each port once in "what kind of server answers"', () => {
    const apache = probe({
      protocol: 'mmsh',
      port: 18082,
      replyKind: 'http',
      server: 'Apache/2.4',
      status: 200,
      ending: 'complete',
    });
    const nothing = probe({ protocol: 'rtsp', port: 18082, replyKind: 'nothing', ending: 'closed' });
    const target = { ...targetOf('http', '/live', 18082) };
    const plans = planChecks(target, planProbes(target), { knownGood: false });
    const serverKind = plans.find((p) => p.id === 'server-kind')!;
    const check = evaluateCheck(serverKind, {
      target,
      error: null,
      expectIp: null,
      dns: resolved,
      probes: [apache, nothing],
      knownGood: null,
    });
    expect(check.summary.match(/18082/g)?.length).toBe(1);
  });

  it('never leaks a route state or an empty reason into the words', () => {
    const v = decideVerdict({
      target: targetOf('rtsp'),
      error: null,
      dns: resolved,
      probes: [rtsp(401), mmsh(200)],
    });
    const text = verdictText(v);
    expect(text).not.toMatch(/is auth-required|is works|\(none\)|undefined|null| {2}/);
  });

  it('ends every wire check sentence before "Reading stopped"', () => {
    const noStop = probe({
      protocol: 'rtsp',
      port: 554,
      speaks: true,
      detail: 'port 554 answered',
      ending: 'closed',
    });
    const wire = checksOf('rtsp', [noStop]).find((c) => c.id.startsWith('wire-rtsp'))!;
    expect(wire.summary).not.toMatch(/[^.] Reading stopped/);
  });

  it('a playlist served as audio/… (an .m3u radio link) is not a working stream: what it names is tested', () => {
    const m3u = page(200, { kind: 'media' });
    const playlist = {
      ...m3u,
      playlist: { format: 'm3u' as const, entries: ['mms://streamhost/live'], rejected: 0, truncated: false },
    };
    expect(judgeProbe(m3u)).toBe('works');
    expect(judgeProbe(playlist)).not.toBe('works');
    for (const scheme of ['http', 'https'] as const) {
      const verdict = decideVerdict({
        target: targetOf(scheme, '/radio.m3u'),
        dns: resolved,
        probes: [{ ...playlist, port: scheme === 'https' ? 443 : 80 }],
        error: null,
      });
      expect(verdict.code, scheme).not.toBe('ok');
      expect(verdict.suggestedUrl, scheme).toBeNull();
    }
  });
});
