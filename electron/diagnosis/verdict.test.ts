// The decision table, row by row: each test builds the evidence that row exists for, and checks that it (and no
// row above it) decides. The last test proves every row of VERDICT_TABLE has a test here.
import { describe, expect, it } from 'vitest';
import type { VerdictCode } from '../common/report';
import type { ProbeResult } from '../common/probe-result';
import type { DnsResult } from '../common/report';
import type { StreamTarget } from '../common/target';
import { evaluateCheck, planChecks, planProbes, type Evidence } from './checks';
import { judgeProbe, stateOfMmsHr, stateOfStatus } from './routes';
import {
  dnsFailed,
  filtered,
  mms,
  mmsh,
  page,
  probe,
  refused,
  reset,
  resolved,
  rtsp,
  silent,
  targetOf,
  unreachable,
} from './test-evidence';
import { decideVerdict, VERDICT_TABLE } from './verdict';

const target = targetOf('mms');

function verdictOf(probes: ProbeResult[], dns: DnsResult = resolved, t: StreamTarget = target) {
  return decideVerdict({ target: t, error: null, dns, probes });
}

const covered = new Set<number>();
function row(code: VerdictCode, index: number, name: string, test: () => void): void {
  expect(VERDICT_TABLE[index]?.code).toBe(code);
  covered.add(index);
  it(`row ${index + 1} ${code}: ${name}`, test);
}

describe('the decision table, row by row', () => {
  row('dns-failed', 0, 'a name that does not resolve decides before anything else', () => {
    const v = verdictOf([], dnsFailed);
    expect(v.code).toBe('dns-failed');
    expect(v.reason).toBe('No such name: the DNS has no address for media.example.org.');
  });

  row('dns-mismatch', 1, '--expect-ip not among the answers beats a working route', () => {
    const dns: DnsResult = { ...resolved, expectedIp: '192.0.2.99', matchesExpected: false };
    const v = verdictOf([rtsp(200)], dns, targetOf('rtsp'));
    expect(v.code).toBe('dns-mismatch');
    expect(v.summary).toContain('192.0.2.99');
    expect(v.suggestedUrl).toBeNull();
  });

  row('ok', 2, 'the address’s own protocol works', () => {
    expect(verdictOf([rtsp(200)], resolved, targetOf('rtsp')).code).toBe('ok');
    expect(verdictOf([mmsh(200), page(200)], resolved, targetOf('http')).code).toBe('ok');
    const media = page(200, { port: 443, kind: 'media' });
    expect(verdictOf([media], resolved, targetOf('https')).code).toBe('ok');
  });

  row('use-rtsp', 3, 'mms:// to a server that speaks RTSP: the tested rtsp:// URL', () => {
    const v = verdictOf([refused('mms', 1755), rtsp(200), refused('mmsh', 80), refused('http', 80)]);
    expect(v.code).toBe('use-rtsp');
    expect(v.suggestedUrl).toBe('rtsp://media.example.org/live');
    expect(v.reason).toContain('MMS on port 1755 is refused');
    expect(v.adminNote).toMatch(/does not serve this stream over MMS/);
    const both = verdictOf([mms('exists'), rtsp(200)]);
    expect(both.code).toBe('use-rtsp');
    expect(both.reason).toMatch(/speaks MMS too/);
    expect(both.adminNote).toBeNull();
  });

  row('use-http', 4, 'only Windows Media HTTP streaming works; mmsh:// becomes http://', () => {
    const v = verdictOf([refused('mms', 1755), refused('rtsp', 554), mmsh(200)]);
    expect(v.code).toBe('use-http');
    expect(v.suggestedUrl).toBe('http://media.example.org/live');
    const mmshTarget = verdictOf([mmsh(200)], resolved, targetOf('mmsh'));
    expect(mmshTarget.code).toBe('use-http');
    expect(mmshTarget.suggestedUrl).toBe('http://media.example.org/live');
  });

  row(
    'mms-only-server',
    5,
    'only MMS has the stream (tested mmst:// URL), or MMS answers and no path was given',
    () => {
      const v = verdictOf([mms('exists'), refused('rtsp', 554), refused('mmsh', 80)]);
      expect(v.code).toBe('mms-only-server');
      expect(v.suggestedUrl).toBe('mmst://media.example.org/live');
      const noPath = verdictOf([mms('not-checked'), refused('rtsp', 554)], resolved, targetOf('mms', '/'));
      expect(noPath.code).toBe('mms-only-server');
      expect(noPath.suggestedUrl).toBeNull();
    },
  );

  row('auth-required', 6, 'a 401 or an MMS challenge', () => {
    expect(verdictOf([refused('mms', 1755), rtsp(401)]).code).toBe('auth-required');
    expect(verdictOf([mms('auth-required'), refused('rtsp', 554)]).code).toBe('auth-required');
    expect(verdictOf([rtsp(407)]).suggestedUrl).toBeNull();
  });

  row('access-denied', 7, 'a 403, or MMS E_ACCESSDENIED on the file or the connection', () => {
    expect(verdictOf([rtsp(403)]).code).toBe('access-denied');
    expect(verdictOf([mms('denied', { pathHr: 0x80070005 })]).code).toBe('access-denied');
    expect(verdictOf([mms('not-checked', { connectHr: 0xc00d2efb })]).code).toBe('access-denied');
  });

  row('redirected', 8, 'a redirect is the only answer: named, not followed, no suggested URL', () => {
    const moved = rtsp(302, { redirectUrl: 'rtsp://other.example.org/live' });
    const v = verdictOf([refused('mms', 1755), moved]);
    expect(v.code).toBe('redirected');
    expect(v.summary).toContain('rtsp://other.example.org/live');
    expect(v.reason).toMatch(/not followed or tested/);
    expect(v.suggestedUrl).toBeNull();
    // A redirect that names no target is no redirect to act on.
    expect(judgeProbe(rtsp(302))).toBe('unknown');
  });

  row('stream-not-found', 9, 'the server answers, the path is not there — whoever the server is', () => {
    expect(verdictOf([refused('mms', 1755), rtsp(404)]).code).toBe('stream-not-found');
    expect(verdictOf([mms('not-found', { pathHr: 0xc00d001a })]).code).toBe('stream-not-found');
    const vlc = verdictOf([rtsp(404, { product: 'VLC', server: 'VLC/3.0.21' })]);
    expect(vlc.code).toBe('stream-not-found');
    expect(vlc.summary).toContain('VLC/3.0.21');
    expect(vlc.suggestedUrl).toBeNull();
  });

  row('server-unavailable', 10, '5xx, RTSP 453, MMS server busy', () => {
    expect(verdictOf([rtsp(503)]).code).toBe('server-unavailable');
    expect(verdictOf([rtsp(453)]).code).toBe('server-unavailable');
    expect(verdictOf([mmsh(500)]).code).toBe('server-unavailable');
    expect(verdictOf([mms('denied', { pathHr: 0xc00d000f })]).code).toBe('server-unavailable');
  });

  row('non-wms-rtsp-server', 11, 'an RTSP server describes the stream without the ASF header', () => {
    const vlc = rtsp(200, { product: 'VLC', server: 'VLC/3.0.21' });
    const v = verdictOf([refused('mms', 1755), vlc, refused('mmsh', 80)]);
    expect(v.code).toBe('non-wms-rtsp-server');
    expect(v.suggestedUrl).toBe('rtsp://media.example.org/live');
  });

  row(
    'not-a-streaming-server',
    12,
    'an ordinary web server, or open ports that answer nothing usable',
    () => {
      const web = verdictOf([
        refused('mms', 1755),
        refused('rtsp', 554),
        mmsh(404, { cougar: false }),
        page(404),
      ]);
      expect(web.code).toBe('not-a-streaming-server');
      expect(web.summary).toContain('nginx/1.22.1');
      const quiet = verdictOf([silent('mms', 1755), refused('rtsp', 554), refused('mmsh', 80)]);
      expect(quiet.code).toBe('not-a-streaming-server');
      expect(quiet.summary).toContain('port 1755');
      expect(verdictOf([reset('rtsp', 554), reset('mms', 1755)]).summary).toContain('ports 554 and 1755');
    },
  );

  row('inconclusive', 13, 'something answers in a way nothing above can read', () => {
    const v = verdictOf([rtsp(null), refused('mms', 1755), refused('mmsh', 80)], resolved, targetOf('rtsp'));
    expect(v.code).toBe('inconclusive');
    expect(v.suggestedUrl).toBeNull();
  });

  row('host-unreachable', 14, 'ICMP unreachable, and nothing merely dropped', () => {
    const v = verdictOf([unreachable('rtsp', 554), unreachable('mms', 1755)]);
    expect(v.code).toBe('host-unreachable');
    expect(v.reason).toMatch(/^Host unreachable/);
  });

  row('ports-filtered', 15, 'no answer at all on a port beats refusals', () => {
    expect(verdictOf([filtered('mms', 1755), filtered('rtsp', 554), filtered('mmsh', 80)]).code).toBe(
      'ports-filtered',
    );
    const mixed = verdictOf([refused('mms', 1755), filtered('rtsp', 554)]);
    expect(mixed.code).toBe('ports-filtered');
    expect(mixed.reason).toContain(
      'Connections to port 554 got no answer at all, not even a refusal, and port 1755 refused',
    );
  });

  row('ports-closed', 16, 'every port refuses', () => {
    const v = verdictOf([refused('mms', 1755), refused('rtsp', 554), refused('mmsh', 80)]);
    expect(v.code).toBe('ports-closed');
    expect(v.summary).toContain('ports 1755, 554 and 80');
  });

  row('inconclusive', 17, 'nothing was tested at all', () => {
    const skipped = probe({
      protocol: 'rtsp',
      port: 554,
      reachability: 'skipped',
      reachabilityReason: 'cancelled',
    });
    expect(verdictOf([skipped]).code).toBe('inconclusive');
  });

  it('every row of the table has a test above', () => {
    expect([...covered].sort((a, b) => a - b)).toEqual(VERDICT_TABLE.map((_, index) => index));
  });
});

describe('route states', () => {
  it('map status codes by meaning', () => {
    expect(stateOfStatus(200)).toBe('works');
    expect(stateOfStatus(401)).toBe('auth');
    expect(stateOfStatus(407)).toBe('auth');
    expect(stateOfStatus(403)).toBe('forbidden');
    expect(stateOfStatus(404)).toBe('not-found');
    expect(stateOfStatus(410)).toBe('not-found');
    expect(stateOfStatus(453)).toBe('unavailable');
    expect(stateOfStatus(503)).toBe('unavailable');
    expect(stateOfStatus(301)).toBe('redirect');
    expect(stateOfStatus(400)).toBe('unknown');
    expect(stateOfMmsHr(0x80070005)).toBe('forbidden');
    expect(stateOfMmsHr(0xc00d000e)).toBe('unavailable');
    expect(stateOfMmsHr(0xc00d2efc)).toBe('not-found');
    expect(stateOfMmsHr(0x80004005)).toBe('unknown');
  });

  it('never call an unknown, silent or reset answer working or filtered', () => {
    expect(judgeProbe(mms('not-checked'))).toBe('unknown');
    expect(judgeProbe(silent('mms', 1755))).toBe('open-silent');
    expect(judgeProbe(reset('rtsp', 554))).toBe('reset');
    expect(judgeProbe(rtsp(null))).toBe('unknown');
    expect(judgeProbe(rtsp(200, { asf: false }))).toBe('non-wms');
    expect(judgeProbe(rtsp(200))).toBe('works');
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
    const probes = [filtered('mms', 1755), rtsp(200), refused('mmsh', 80), refused('http', 80)];
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
    expect(byId.get('port-1755')?.command).toBe("Test-NetConnection 'media.example.org' -Port 1755");
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
