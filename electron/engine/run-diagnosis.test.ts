// The whole engine against real servers on loopback: our Windows Media simulators (which Debian's ffprobe
// reads, see test-support), real VLC and nginx, a closed port, and a filtered host in a network namespace.
import { afterAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../common/report';
import { startMmsServer } from '../test-support/mms-server';
import { startMmshServer } from '../test-support/mmsh-server';
import { startRtspServer } from '../test-support/rtsp-server';
import { startNginx } from '../test-support/peers/nginx';
import { closedPort } from '../test-support/peers/ports';
import { createFilteredHost, createRejectingHost } from '../test-support/peers/netns';
import { startVlcMmsh, startVlcRtsp } from '../test-support/peers/vlc';
import { asfSample } from '../test-support/asf-sample';
import { startHostileServer } from '../test-support/hostile-servers';
import type { DiagnosisEvent } from './events';
import { DiagnosisCancelled, runDiagnosis, validateRequest, type DiagnosisRequest } from './run-diagnosis';
import { useNamespaceHost } from '../test-support/peers/namespace-host';

type Closable = { close(): Promise<void> };
const servers: Closable[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});
function keep<T extends Closable>(server: T): T {
  servers.push(server);
  return server;
}

async function diagnose(request: DiagnosisRequest, events?: DiagnosisEvent[]): Promise<DiagnosisReport> {
  const valid = validateRequest({ timeoutMs: 1500, ...request });
  if (!valid.ok) throw new Error(valid.message);
  return runDiagnosis(valid.value, events ? { onEvent: (e) => events.push(e) } : {});
}

describe('verdicts against Windows Media simulators', () => {
  it('mms:// to a server that speaks only RTSP → use-rtsp with the tested rtsp:// URL', async () => {
    const rtsp = keep(await startRtspServer({ streams: { '/live': 'ok' } }));
    const report = await diagnose({ url: `mms://127.0.0.1:${rtsp.port}/live`, errorCode: '0xC00D2EFA' });
    expect(report.verdict.code).toBe('use-rtsp');
    expect(report.verdict.suggestedUrl).toBe(`rtsp://127.0.0.1:${rtsp.port}/live`);
    expect(report.error?.name).toBe('NS_E_MMS_NOT_SUPPORTED');
    const probe = report.probes.find((p) => p.protocol === 'rtsp' && p.port === rtsp.port)!;
    expect(probe.server).toMatch(/^WMServer\//);
    expect(probe.rtsp?.sdpHasAsfHeader).toBe(true);
    // The MMS hello on the RTSP port is met with silence; once RTSP is recognised there it stops waiting.
    const mmsOnRtspPort = report.probes.find((p) => p.protocol === 'mms' && p.port === rtsp.port)!;
    expect(mmsOnRtspPort.reachability).toBe('open');
    expect(mmsOnRtspPort.speaks).toBe(false);
    expect(mmsOnRtspPort.detail).toMatch(/already answered RTSP/);
  });

  it('http:// to a Windows Media HTTP server → ok', async () => {
    const mmsh = keep(await startMmshServer({ streams: { '/live': 'ok' } }));
    const report = await diagnose({ url: `http://127.0.0.1:${mmsh.port}/live` });
    expect(report.verdict.code).toBe('ok');
    expect(report.probes.find((p) => p.protocol === 'mmsh' && p.port === mmsh.port)?.server).toMatch(
      /^Cougar\//,
    );
  });

  it('mms:// to an MMS-only server → mms-only-server; a missing path → stream-not-found', async () => {
    const mms = keep(await startMmsServer({ streams: { '/live': 'ok' } }));
    const report = await diagnose({ url: `mms://127.0.0.1:${mms.port}/live` });
    expect(report.verdict.code).toBe('mms-only-server');
    expect(report.verdict.suggestedUrl).toBe(`mmst://127.0.0.1:${mms.port}/live`);
    const missing = await diagnose({ url: `mms://127.0.0.1:${mms.port}/nothing-here` });
    expect(missing.verdict.code).toBe('stream-not-found');
  });

  it('a WMS RTSP stream that needs a password → auth-required', async () => {
    const rtsp = keep(await startRtspServer({ streams: { '/private': 'auth' } }));
    const report = await diagnose({ url: `rtsp://127.0.0.1:${rtsp.port}/private` });
    expect(report.verdict.code).toBe('auth-required');
  });

  it('reports every check as it starts and ends, and the verdict last', async () => {
    const rtsp = keep(await startRtspServer({ streams: { '/live': 'ok' } }));
    const events: DiagnosisEvent[] = [];
    const report = await diagnose({ url: `rtsp://127.0.0.1:${rtsp.port}/live` }, events);
    expect(events[0]?.type).toBe('run-started');
    expect(events.at(-1)?.type).toBe('run-finished');
    const started = events.filter((e) => e.type === 'check-started').map((e) => (e as { id: string }).id);
    const finished = events
      .filter((e) => e.type === 'check-finished')
      .map((e) => (e as { check: { id: string } }).check.id);
    // run-started announces the final list: nothing is added later, nothing is left unfinished.
    const announced = events[0]?.type === 'run-started' ? events[0].checks.map((c) => c.id) : [];
    expect(report.checks.map((c) => c.id)).toEqual(announced);
    expect([...started].sort()).toEqual([...announced].sort());
    expect([...finished].sort()).toEqual([...announced].sort());
    for (const id of finished) expect(started.indexOf(id)).toBeGreaterThanOrEqual(0);
    expect(report.routes?.find((r) => r.route === 'rtsp')?.state).toBe('works');
  });
});

describe('the newer verdict codes against the simulators', () => {
  it('RTSP 403 → access-denied; 453 and 503 → server-unavailable; none suggests an address', async () => {
    const rtsp = keep(
      await startRtspServer({
        streams: { '/live': 'ok' },
        refusals: { '/members': 403, '/full': 453, '/down': 503 },
      }),
    );
    const expected = {
      '/members': 'access-denied',
      '/full': 'server-unavailable',
      '/down': 'server-unavailable',
    };
    for (const [path, code] of Object.entries(expected)) {
      const report = await diagnose({ url: `rtsp://127.0.0.1:${rtsp.port}${path}` });
      expect(report.verdict.code, path).toBe(code);
      expect(report.verdict.suggestedUrl).toBeNull();
      expect(report.routes?.find((r) => r.route === 'rtsp')?.state).toBe(
        code === 'access-denied' ? 'forbidden' : 'unavailable',
      );
    }
  });

  it('an MMS server that refuses the connection (E_ACCESSDENIED) → access-denied, never mms-only-server', async () => {
    const mms = keep(await startMmsServer({ connectHr: 0x80070005 }));
    const report = await diagnose({ url: `mms://127.0.0.1:${mms.port}/live` });
    expect(report.verdict.code).toBe('access-denied');
    expect(report.verdict.suggestedUrl).toBeNull();
  });

  it('an RTSP redirect that is not followed → redirected, naming the target, suggesting nothing', async () => {
    const rtsp = keep(await startRtspServer({ redirects: { '/old': 'rtsp://127.0.0.1:9/new' } }));
    const report = await diagnose({ url: `rtsp://127.0.0.1:${rtsp.port}/old` });
    expect(report.verdict.code).toBe('redirected');
    expect(report.verdict.summary).toContain('rtsp://127.0.0.1:9/new');
    expect(report.verdict.suggestedUrl).toBeNull();
  });

  it('mmsh:// to a Windows Media HTTP server → use-http with the tested http:// address', async () => {
    const mmsh = keep(await startMmshServer({ streams: { '/live': 'ok' } }));
    const report = await diagnose({ url: `mmsh://127.0.0.1:${mmsh.port}/live` });
    expect(report.verdict.code).toBe('use-http');
    expect(report.verdict.suggestedUrl).toBe(`http://127.0.0.1:${mmsh.port}/live`);
  });

  it('--expect-ip that DNS does not return → dns-mismatch, even though the stream answers', async () => {
    const rtsp = keep(await startRtspServer({ streams: { '/live': 'ok' } }));
    const valid = validateRequest({
      url: `rtsp://stream.test:${rtsp.port}/live`,
      expectIp: '192.0.2.7',
      timeoutMs: 1500,
    });
    if (!valid.ok) throw new Error(valid.message);
    const report = await runDiagnosis(valid.value, { lookup: () => Promise.resolve(['127.0.0.1']) });
    expect(report.verdict.code).toBe('dns-mismatch');
    expect(report.verdict.suggestedUrl).toBeNull();
    expect(report.checks.find((c) => c.id === 'dns-expected')?.status).toBe('fail');
  });
});

describe('a known-good stream', () => {
  it('passes when it answers, and fails (pointing at this side) when it does not', async () => {
    const good = keep(await startRtspServer({ streams: { '/live': 'ok' } }));
    const dead = await closedPort();
    const target = `rtsp://127.0.0.1:${dead}/live`;
    const answering = await diagnose({ url: target, knownGoodUrl: `rtsp://127.0.0.1:${good.port}/live` });
    const check = answering.checks.find((c) => c.id === 'known-good')!;
    expect(check.status).toBe('pass');
    expect(answering.knownGood?.probe.server).toMatch(/^WMServer\//);
    const silent = await diagnose({ url: target, knownGoodUrl: `rtsp://127.0.0.1:${dead}/other` });
    expect(silent.checks.find((c) => c.id === 'known-good')?.status).toBe('fail');
    const none = await diagnose({ url: target });
    expect(none.checks.find((c) => c.id === 'known-good')?.status).toBe('skip');
  });
});

describe('verdicts against real peers', () => {
  it('nginx → not-a-streaming-server, naming nginx', async () => {
    const nginx = keep(await startNginx());
    const report = await diagnose({ url: `http://127.0.0.1:${nginx.port}/live`, errorCode: 'C00D2EE8' });
    expect(report.verdict.code).toBe('not-a-streaming-server');
    expect(report.verdict.summary).toContain('nginx');
  });

  it('a closed port → ports-closed, quickly', async () => {
    const port = await closedPort();
    const report = await diagnose({ url: `rtsp://127.0.0.1:${port}/live` });
    // 1755, 554 and 80 on loopback are closed too on a test machine.
    expect(report.verdict.code).toBe('ports-closed');
    expect(report.durationMs).toBeLessThan(1500);
  });

  it('VLC as an RTSP server → non-wms-rtsp-server', async () => {
    const vlc = keep(await startVlcRtsp((await asfSample()).filePath));
    const report = await diagnose({ url: vlc.url.replace(/^rtsp:/, 'mms:') });
    expect(report.verdict.code).toBe('non-wms-rtsp-server');
    expect(report.probes.some((p) => p.protocol === 'rtsp' && p.rtsp?.product === 'VLC')).toBe(true);
  }, 30_000);

  it('VLC answering 404 for a path it does not serve → stream-not-found, not "play it in VLC"', async () => {
    const vlc = keep(await startVlcRtsp((await asfSample()).filePath));
    const report = await diagnose({ url: vlc.url.replace(/\/live$/, '/nothing-here') });
    expect(report.verdict.code).toBe('stream-not-found');
    expect(report.verdict.suggestedUrl).toBeNull();
    expect(report.verdict.summary).toMatch(/VLC/);
  }, 30_000);

  it('VLC as an MMSH server → its HTTP streaming is recognised, never called RTSP', async () => {
    const vlc = keep(await startVlcMmsh((await asfSample()).filePath));
    const report = await diagnose({ url: vlc.url.replace(/^mmsh:/, 'http:') });
    const mmsh = report.probes.find((p) => p.protocol === 'mmsh' && p.port === vlc.port)!;
    expect(mmsh.replyKind).toBe('http');
    expect(mmsh.mmsh?.framing).not.toBeNull();
    expect(['ok', 'use-http']).toContain(report.verdict.code);
  }, 30_000);

  describe('a filtered host (network namespace with an iptables DROP rule)', () => {
    const namespaceHost = useNamespaceHost(createFilteredHost, 'filtered-host');
    it('→ ports-filtered, within the bound', async (context) => {
      const host = namespaceHost();
      if (!host) return context.skip();
      const report = await diagnose({ url: `mms://${host.address}/live`, timeoutMs: 1000 });
      expect(report.verdict.code).toBe('ports-filtered');
      expect(report.probes.every((p) => p.reachability === 'timeout')).toBe(true);
      expect(report.durationMs).toBeLessThan(1000 + 500);
    });
  });
});

describe('a host behind a router that rejects (ICMP host unreachable)', () => {
  const namespaceHost = useNamespaceHost(createRejectingHost, 'rejecting-host');
  it('→ host-unreachable, with the reason in words', async (context) => {
    const host = namespaceHost();
    if (!host) return context.skip();
    const report = await diagnose({ url: `rtsp://${host.address}/live`, timeoutMs: 1500 });
    expect(report.verdict.code).toBe('host-unreachable');
    expect(report.probes.every((p) => p.reachability === 'unreachable')).toBe(true);
    expect(report.verdict.reason).toMatch(/unreachable/);
  });
});

describe('input and cancellation', () => {
  it('rejects bad input before touching the network', () => {
    for (const url of ['mms://', 'rtsp://[::1', 'x'.repeat(5000), 'ftp://example.org/file']) {
      const result = validateRequest({ url });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.field).toBe('url');
        expect(result.message.length).toBeLessThan(400);
      }
    }
    expect(validateRequest({ url: 'mms://a/b', errorCode: 'banana' }).ok).toBe(false);
    expect(validateRequest({ url: 'mms://a/b', timeoutMs: 5 }).ok).toBe(false);
  });

  it('a DNS failure → dns-failed, and no probe runs', async () => {
    const valid = validateRequest({ url: 'mms://no-such-host.example/live' });
    if (!valid.ok) throw new Error(valid.message);
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    const report = await runDiagnosis(valid.value, { lookup: () => Promise.reject(notFound) });
    expect(report.verdict.code).toBe('dns-failed');
    expect(report.dns.error).toMatch(/no such name/);
    expect(report.probes.every((p) => p.reachability === 'skipped')).toBe(true);
  });

  it('cancel stops every probe and rejects with DiagnosisCancelled', async () => {
    const valid = validateRequest({ url: 'mms://127.0.0.1:9/live', timeoutMs: 20_000 });
    if (!valid.ok) throw new Error(valid.message);
    // A resolver that never answers keeps the run busy until we cancel.
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await expect(
      runDiagnosis(
        { ...valid.value, target: { ...valid.value.target, host: 'slow.example' } },
        {
          signal: controller.signal,
          lookup: () => new Promise(() => undefined),
        },
      ),
    ).rejects.toBeInstanceOf(DiagnosisCancelled);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('cancel during the probes closes every socket before it returns', async () => {
    const silent = keep(await startHostileServer('silence'));
    const valid = validateRequest({ url: `mms://127.0.0.1:${silent.port}/live`, timeoutMs: 20_000 });
    if (!valid.ok) throw new Error(valid.message);
    const controller = new AbortController();
    const events: DiagnosisEvent[] = [];
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    await expect(
      runDiagnosis(valid.value, { signal: controller.signal, onEvent: (e) => events.push(e) }),
    ).rejects.toBeInstanceOf(DiagnosisCancelled);
    expect(Date.now() - started).toBeLessThan(1500);
    const probesStarted = events.filter((e) => e.type === 'probe-started').length;
    const probesFinished = events.filter((e) => e.type === 'probe-finished').length;
    expect(probesStarted).toBeGreaterThan(0);
    expect(probesFinished).toBe(probesStarted);
    expect(events.at(-1)?.type).toBe('run-cancelled');
  });
});
