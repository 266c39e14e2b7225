// Redirects and playlists followed, against real local servers: the Windows Media RTSP and HTTP simulators,
// Debian's nginx serving an .asx, a page and a `return 302`, and a silent TCP port. Each scenario is one the
// issue names: a page or .asx on a web server pointing at mms://streamhost/live, an RTSP or HTTP 302.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../diagnosis/types';
import type { LookupFunction } from '../probes/dns';
import { startMmshServer } from '../test-support/mmsh-server';
import { nginxUnavailable, startNginx } from '../test-support/peers/nginx';
import { startRtspServer } from '../test-support/rtsp-server';
import type { DiagnosisEvent } from './events';
import { followDiagnosis, type RunFunction } from './follow';
import { MAX_REDIRECTS } from './follow-rules';
import { DiagnosisCancelled, runDiagnosis, validateRequest, type ValidRequest } from './run-diagnosis';

const TIMEOUT_MS = 1500;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function request(url: string, timeoutMs = TIMEOUT_MS): ValidRequest {
  const valid = validateRequest({ url, timeoutMs });
  if (!valid.ok) throw new Error(valid.message);
  return valid.value;
}

async function rtspServer(options: Parameters<typeof startRtspServer>[0] = {}): Promise<number> {
  const server = await startRtspServer(options);
  closers.push(() => server.close());
  return server.port;
}

async function nginx(options: Parameters<typeof startNginx>[0]): Promise<number> {
  const peer = await startNginx(options);
  closers.push(() => peer.close());
  return peer.port;
}

/** Accepts connections and never says a word. */
async function silentPort(): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as net.AddressInfo).port;
}

async function followed(
  url: string,
  timeoutMs = TIMEOUT_MS,
): Promise<{ report: DiagnosisReport; events: DiagnosisEvent[] }> {
  const events: DiagnosisEvent[] = [];
  const report = await followDiagnosis(request(url, timeoutMs), { onEvent: (event) => events.push(event) });
  return { report, events };
}

const skipNginx = nginxUnavailable();

describe('redirects followed', () => {
  it('an RTSP 302 to a working publishing point: the verdict is about the target, tested, and names the chain', async () => {
    const port = await rtspServer({ redirects: { '/old': '/live' } });
    const { report, events } = await followed(`rtsp://127.0.0.1:${port}/old`);
    const to = `rtsp://127.0.0.1:${port}/live`;
    expect(report.redirects).toEqual([{ from: `rtsp://127.0.0.1:${port}/old`, to, status: 302 }]);
    expect(report.verdict.code).toBe('ok');
    expect(report.verdict.suggestedUrl).toBe(to);
    expect(report.verdict.summary).toContain(`redirects to ${to}`);
    expect(report.verdict.reason).toContain(`rtsp://127.0.0.1:${port}/old → (302) ${to}`);
    // One end of the run, last; the checks are exactly the ones announced at the start.
    expect(events.filter((e) => e.type === 'run-finished')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('run-finished');
    const announced = events.find((e) => e.type === 'run-started');
    expect(report.checks.map((c) => c.id)).toEqual(
      announced?.type === 'run-started' ? announced.checks.map((c) => c.id) : [],
    );
  });

  it('an RTSP 302 to a path that is not there: stream-not-found about the target, nothing offered', async () => {
    const port = await rtspServer({ redirects: { '/old': '/gone' } });
    const { report } = await followed(`rtsp://127.0.0.1:${port}/old`);
    expect(report.redirects).toHaveLength(1);
    expect(report.verdict.code).toBe('stream-not-found');
    expect(report.verdict.summary).toContain('/gone');
    expect(report.verdict.suggestedUrl).toBeNull();
  });

  it.skipIf(skipNginx)(
    'an HTTP 302 from nginx to an rtsp:// address is followed across protocols',
    async () => {
      const rtsp = await rtspServer();
      const to = `rtsp://127.0.0.1:${rtsp}/live`;
      const web = await nginx({ redirects: { '/watch': to } });
      const { report } = await followed(`http://127.0.0.1:${web}/watch`);
      expect(report.redirects).toEqual([{ from: `http://127.0.0.1:${web}/watch`, to, status: 302 }]);
      expect(report.verdict.code).toBe('ok');
      expect(report.verdict.suggestedUrl).toBe(to);
    },
  );

  it('a redirect loop is detected: the looping target is named, never offered', async () => {
    const port = await rtspServer({ redirects: { '/a': '/b', '/b': '/a' } });
    const { report } = await followed(`rtsp://127.0.0.1:${port}/a`);
    expect(report.redirects).toEqual([
      { from: `rtsp://127.0.0.1:${port}/a`, to: `rtsp://127.0.0.1:${port}/b`, status: 302 },
    ]);
    expect(report.verdict.reason).toMatch(/loop/);
    expect(report.verdict.suggestedUrl).toBeNull();
  });

  it('a fault while following keeps the address’s own report and offers nothing untested', async () => {
    const port = await rtspServer({ redirects: { '/old': '/live' } });
    let runs = 0;
    const faulty: RunFunction = (hopRequest, options) => {
      if (++runs === 2) return Promise.reject(new Error('simulated fault'));
      return runDiagnosis(hopRequest, options);
    };
    const events: DiagnosisEvent[] = [];
    const report = await followDiagnosis(
      request(`rtsp://127.0.0.1:${port}/old`),
      { onEvent: (event) => events.push(event) },
      faulty,
    );
    expect(report.redirects).toEqual([]);
    expect(report.verdict.reason).toContain(
      'could not be followed: it failed unexpectedly (simulated fault)',
    );
    expect(report.verdict.suggestedUrl).toBeNull();
    expect(events.filter((e) => e.type === 'run-finished')).toHaveLength(1);
  });

  it(`stops after ${MAX_REDIRECTS} hops`, async () => {
    const chain = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`/h${i}`, `/h${i + 1}`]));
    const port = await rtspServer({ redirects: chain });
    const { report } = await followed(`rtsp://127.0.0.1:${port}/h0`);
    expect(report.redirects).toHaveLength(MAX_REDIRECTS);
    expect(report.redirects?.at(-1)?.to).toBe(`rtsp://127.0.0.1:${port}/h${MAX_REDIRECTS}`);
    expect(report.verdict.reason).toContain(`more than ${MAX_REDIRECTS} redirects`);
    expect(report.verdict.suggestedUrl).toBeNull();
  });

  it('a Windows Media HTTP 302 to file: is refused, not followed, not offered', async () => {
    const server = await startMmshServer({ redirects: { '/old': 'file:///C:/Windows/win.ini' } });
    closers.push(() => server.close());
    const { report } = await followed(`http://127.0.0.1:${server.port}/old`);
    expect(report.redirects).toEqual([]);
    expect(report.verdict.suggestedUrl).toBeNull();
    expect(report.verdict.reason).toContain('file:///C:/Windows/win.ini');
    expect(report.verdict.reason).toContain('not tested');
    expect(server.requests.every((r) => r.target === '/old')).toBe(true);
  });
});

describe('playlists and pages followed', () => {
  it.skipIf(skipNginx)(
    'an .asx served by a web server with 200: the verdict is about the stream it points at',
    async () => {
      const rtsp = await rtspServer();
      const entry = `mms://127.0.0.1:${rtsp}/live`;
      const web = await nginx({
        files: {
          'radio.asx': `<ASX VERSION="3.0">\r\n<ENTRY><REF HREF="${entry}"/></ENTRY>\r\n</ASX>\r\n`,
        },
      });
      const url = `http://127.0.0.1:${web}/radio.asx`;
      const { report } = await followed(url);
      expect(report.playlist?.url).toBe(url);
      expect(report.playlist?.format).toBe('asx');
      expect(report.playlist?.entries.map((e) => [e.url, e.verdict?.code])).toEqual([[entry, 'use-rtsp']]);
      expect(report.verdict.code).toBe('use-rtsp');
      expect(report.verdict.summary).toContain(`The playlist at ${url} points at ${entry}.`);
      expect(report.verdict.suggestedUrl).toBe(`rtsp://127.0.0.1:${rtsp}/live`);
      expect(report.verdict.summary).not.toMatch(/ordinary web server|not there/);
    },
  );

  it.skipIf(skipNginx)(
    'a web page embedding the player, whose source is an .asx: followed two levels deep',
    async () => {
      const rtsp = await rtspServer();
      const entry = `mms://127.0.0.1:${rtsp}/live`;
      const web = await nginx({
        files: {
          'index.html': `<!doctype html><html><body><object classid="clsid:6BF52A52-394A-11d3-B153-00C04F79FAA6"><param name="URL" value="media/radio.asx"></object></body></html>`,
          'media/radio.asx': `<asx version="3.0"><entry><ref href="${entry}"/></entry></asx>`,
        },
      });
      const page = `http://127.0.0.1:${web}/`;
      const { report } = await followed(page);
      expect(report.playlist?.format).toBe('html');
      const asx = `http://127.0.0.1:${web}/media/radio.asx`;
      expect(report.playlist?.entries.map((e) => e.url)).toEqual([asx]);
      expect(report.verdict.code).toBe('use-rtsp');
      expect(report.verdict.summary).toContain(`The web page at ${page} points at ${asx}.`);
      expect(report.verdict.summary).toContain(`The playlist at ${asx} points at ${entry}.`);
      expect(report.verdict.suggestedUrl).toBe(`rtsp://127.0.0.1:${rtsp}/live`);
    },
  );

  it.skipIf(skipNginx)(
    'a playlist that names the page it came from is a loop, not followed again',
    async () => {
      const web = await nginx({
        files: {
          'index.html': '<html><body><embed src="radio.asx"></body></html>',
          'radio.asx': '<asx version="3.0"><entryref href="/"/></asx>',
        },
      });
      const page = `http://127.0.0.1:${web}/`;
      const { report } = await followed(page);
      expect(report.playlist?.entries.map((e) => e.url)).toEqual([`http://127.0.0.1:${web}/radio.asx`]);
      expect(report.verdict.reason).toContain(`points at ${page}, which could not be tested`);
      expect(report.verdict.reason).toMatch(/loop/);
      expect(report.verdict.suggestedUrl).toBeNull();
    },
  );

  it.skipIf(skipNginx)(
    'entries are tested in parallel; the first that plays decides, a dead one is reported as it is',
    async () => {
      const silent = await silentPort();
      const rtsp = await rtspServer();
      const web = await nginx({
        files: {
          'list.m3u': `#EXTM3U\nrtsp://127.0.0.1:${silent}/live\nrtsp://127.0.0.1:${rtsp}/live\nfile:///etc/passwd\n`,
        },
      });
      const { report } = await followed(`http://127.0.0.1:${web}/list.m3u`);
      expect(report.playlist?.rejected).toBe(1);
      const codes = report.playlist?.entries.map((e) => e.verdict?.code ?? 'untested');
      expect(codes?.[1]).toBe('ok');
      expect(codes?.[0]).not.toBe('ok');
      expect(report.verdict.code).toBe('ok');
      expect(report.verdict.suggestedUrl).toBe(`rtsp://127.0.0.1:${rtsp}/live`);
    },
  );

  it.skipIf(skipNginx)(
    'an entry that cannot finish within its level bound is untested, never a success',
    async () => {
      const silent = await silentPort();
      const web = await nginx({
        files: { 'slow.m3u': `#EXTM3U\nrtsp://slow.stream-doctor.test:${silent}/live\n` },
      });
      // The entry's name takes most of a deadline to resolve, then its port holds every probe to the bound.
      const lookup: LookupFunction = async (hostname) => {
        if (hostname.startsWith('slow.'))
          await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 0.9));
        return ['127.0.0.1'];
      };
      const report = await followDiagnosis(request(`http://127.0.0.1:${web}/slow.m3u`), { lookup });
      expect(report.playlist?.entries[0]?.verdict).toBeNull();
      expect(report.playlist?.entries[0]?.untested).toMatch(/time bound/);
      expect(report.verdict.suggestedUrl).toBeNull();
      expect(['ok', 'use-rtsp', 'use-http']).not.toContain(report.verdict.code);
    },
  );

  it.skipIf(skipNginx)(
    'cancelling while entries are tested stops them and reports one cancellation',
    async () => {
      const silent = await silentPort();
      const web = await nginx({ files: { 'hold.m3u': `#EXTM3U\nrtsp://127.0.0.1:${silent}/live\n` } });
      const controller = new AbortController();
      const events: DiagnosisEvent[] = [];
      let runs = 0;
      // Cancel once the entry's own run (the second) has started.
      const countingRun: RunFunction = (entryRequest, options) => {
        if (++runs === 2) setTimeout(() => controller.abort(), 100);
        return runDiagnosis(entryRequest, options);
      };
      const run = followDiagnosis(
        request(`http://127.0.0.1:${web}/hold.m3u`, 5000),
        { signal: controller.signal, onEvent: (event) => events.push(event) },
        countingRun,
      );
      await expect(run).rejects.toBeInstanceOf(DiagnosisCancelled);
      expect(runs).toBe(2);
      expect(events.filter((e) => e.type === 'run-cancelled')).toHaveLength(1);
      expect(events.some((e) => e.type === 'run-finished')).toBe(false);
    },
  );
});
