// `npm run bench`: speed figures, printed, never asserted. Medians over several rounds of
//   1. the time to a verdict against loopback peers that answer (target ≤ 300 ms), including a playlist and a
//      redirect followed (each adds at most one probe deadline, in practice one more round of loopback probes),
//   2. the time to a verdict when every port is filtered (target ≤ 3.5 s with the default 3 s bound),
//   3. `nmap -sV` on the same ports, when nmap is installed, with the ratio and what each side called the ports,
//   4. parse + analysis of a 5,000-rule netsh output (Windows layer; target ≤ 150 ms), and `inspect` of it
//      as a saved cp850 / cp866 file, code page guessed (target ≤ 300 ms).
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { followDiagnosis } from '../engine/follow';
import { validateRequest } from '../engine/run-diagnosis';
import type { DiagnosisReport } from '../diagnosis/types';
import { asfSample } from '../test-support/asf-sample';
import { startMmshServer } from '../test-support/mmsh-server';
import { startMmsServer } from '../test-support/mms-server';
import { startRtspServer } from '../test-support/rtsp-server';
import { createFilteredHost } from '../test-support/peers/netns';
import { startNginx } from '../test-support/peers/nginx';
import { startVlcMmsh, startVlcRtsp } from '../test-support/peers/vlc';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
// nmap -sV needs 11 s to 2 min per run against these peers, so one round each unless asked for more.
const NMAP_ROUNDS = Number(process.env.BENCH_NMAP_ROUNDS ?? 1);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function diagnoseOnce(url: string, timeoutMs = 3000): Promise<{ ms: number; report: DiagnosisReport }> {
  const valid = validateRequest({ url, timeoutMs });
  if (!valid.ok) throw new Error(valid.message);
  const started = performance.now();
  // The network run the app and the CLI make: the address, then any redirect or playlist it leads to.
  const report = await followDiagnosis(valid.value);
  return { ms: performance.now() - started, report };
}

async function nmapOnce(host: string, ports: number[]): Promise<{ ms: number; services: string }> {
  const started = performance.now();
  const { stdout } = await run('nmap', ['-sV', '-Pn', '-n', '-p', ports.join(','), host], {
    timeout: 300_000,
  });
  const services = stdout
    .split('\n')
    .filter((line) => /^\d+\/tcp/.test(line))
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .join('; ');
  return { ms: performance.now() - started, services };
}

async function hasNmap(): Promise<boolean> {
  return run('nmap', ['--version'], { timeout: 10_000 }).then(
    () => true,
    () => false,
  );
}

function ours(report: DiagnosisReport): string {
  const open = report.probes.filter((p) => p.reachability === 'open');
  const byPort = new Map<number, string[]>();
  for (const p of open) {
    const list = byPort.get(p.port) ?? [];
    if (p.speaks) list.push(`${p.protocol}${p.server ? ` (${p.server})` : ''}`);
    byPort.set(p.port, list);
  }
  return (
    [...byPort].map(([port, list]) => `${port}: ${list.join(', ') || 'open, speaks none'}`).join('; ') ||
    'nothing open'
  );
}

interface Row {
  scenario: string;
  verdict: string;
  medianMs: number;
  nmapMs: number | null;
  nmapSays: string | null;
  weSay: string;
}

function report(row: Row): void {
  const ratio =
    row.nmapMs !== null
      ? ` | nmap -sV ${row.nmapMs.toFixed(0)} ms (nmap/ours = ${(row.nmapMs / row.medianMs).toFixed(1)})`
      : '';
  console.log(
    `${row.scenario.padEnd(32)} ${row.verdict.padEnd(24)} ${row.medianMs.toFixed(1).padStart(8)} ms${ratio}`,
  );
  console.log(`    we say:    ${row.weSay}`);
  if (row.nmapSays !== null) console.log(`    nmap says: ${row.nmapSays}`);
}

async function main(): Promise<void> {
  console.log(
    `Stream Doctor benchmark — time to the verdict, median of ${ROUNDS} rounds (all-filtered: 3 rounds); nmap -sV: ${NMAP_ROUNDS} round(s)\n`,
  );
  const closers: Array<() => Promise<void>> = [];
  const nmap = process.env.BENCH_NMAP !== '0' && (await hasNmap());
  const sample = await asfSample();
  try {
    const peers: Array<{ scenario: string; url: string; port: number }> = [];
    const rtsp = await startRtspServer({ streams: { '/live': 'ok' } });
    closers.push(() => rtsp.close());
    peers.push({
      scenario: 'mms:// → WMS RTSP simulator',
      url: `mms://127.0.0.1:${rtsp.port}/live`,
      port: rtsp.port,
    });
    const mmsh = await startMmshServer({ streams: { '/live': 'ok' } });
    closers.push(() => mmsh.close());
    peers.push({
      scenario: 'http:// → WMS HTTP simulator',
      url: `http://127.0.0.1:${mmsh.port}/live`,
      port: mmsh.port,
    });
    const mms = await startMmsServer({ streams: { '/live': 'ok' } });
    closers.push(() => mms.close());
    peers.push({
      scenario: 'mms:// → MMS simulator',
      url: `mms://127.0.0.1:${mms.port}/live`,
      port: mms.port,
    });
    const nginx = await startNginx();
    closers.push(() => nginx.close());
    peers.push({ scenario: 'http:// → nginx', url: `http://127.0.0.1:${nginx.port}/live`, port: nginx.port });
    // Followed: an .asx on a web server naming the RTSP simulator's stream, and an RTSP 302 (one level each).
    const playlistHost = await startNginx({
      files: {
        'radio.asx': `<asx version="3.0"><entry><ref href="mms://127.0.0.1:${rtsp.port}/live"/></entry></asx>`,
      },
    });
    closers.push(() => playlistHost.close());
    peers.push({
      scenario: 'http:// .asx → RTSP (followed)',
      url: `http://127.0.0.1:${playlistHost.port}/radio.asx`,
      port: playlistHost.port,
    });
    const moved = await startRtspServer({ redirects: { '/old': '/live' } });
    closers.push(() => moved.close());
    peers.push({
      scenario: 'rtsp:// 302 → RTSP (followed)',
      url: `rtsp://127.0.0.1:${moved.port}/old`,
      port: moved.port,
    });
    try {
      const vlcRtsp = await startVlcRtsp(sample.filePath);
      closers.push(() => vlcRtsp.close());
      peers.push({
        scenario: 'mms:// → VLC RTSP',
        url: `mms://127.0.0.1:${vlcRtsp.port}/live`,
        port: vlcRtsp.port,
      });
      const vlcMmsh = await startVlcMmsh(sample.filePath);
      closers.push(() => vlcMmsh.close());
      peers.push({
        scenario: 'http:// → VLC MMSH',
        url: `http://127.0.0.1:${vlcMmsh.port}/`,
        port: vlcMmsh.port,
      });
    } catch (error) {
      console.log(
        `(VLC peers skipped: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
      );
    }

    for (const peer of peers) {
      await diagnoseOnce(peer.url); // warm-up: first connections, JIT
      const times: number[] = [];
      let last: DiagnosisReport | null = null;
      for (let i = 0; i < ROUNDS; i++) {
        const { ms, report } = await diagnoseOnce(peer.url);
        times.push(ms);
        last = report;
      }
      let nmapMs: number | null = null;
      let nmapSays: string | null = null;
      if (nmap) {
        const nmapTimes: number[] = [];
        for (let i = 0; i < NMAP_ROUNDS; i++) {
          const result = await nmapOnce('127.0.0.1', [...new Set([peer.port, 1755, 554, 80])]);
          nmapTimes.push(result.ms);
          nmapSays = result.services;
        }
        nmapMs = median(nmapTimes);
      }
      report({
        scenario: peer.scenario,
        verdict: last!.verdict.code,
        medianMs: median(times),
        nmapMs,
        nmapSays,
        weSay: ours(last!),
      });
    }

    const filtered = await createFilteredHost();
    if ('skipped' in filtered) {
      console.log(`(all-filtered scenario skipped: ${filtered.skipped})`);
    } else {
      closers.push(() => filtered.close());
      const times: number[] = [];
      let last: DiagnosisReport | null = null;
      for (let i = 0; i < 3; i++) {
        const { ms, report } = await diagnoseOnce(`mms://${filtered.address}/live`);
        times.push(ms);
        last = report;
      }
      let nmapMs: number | null = null;
      let nmapSays: string | null = null;
      if (nmap) {
        const result = await nmapOnce(filtered.address, [1755, 554, 80]);
        nmapMs = result.ms;
        nmapSays = result.services;
      }
      report({
        scenario: 'mms:// → every port filtered',
        verdict: last!.verdict.code,
        medianMs: median(times),
        nmapMs,
        nmapSays,
        weSay: ours(last!),
      });
    }
  } finally {
    await Promise.all(closers.map((close) => close().catch(() => undefined)));
  }

  await benchWindows();
}

async function benchWindows(): Promise<void> {
  try {
    const windowsBench = (await import('../windows/bench')) as {
      benchNetshParse?: (rounds: number) => { medianMs: number; rules: number };
      benchInspect?: typeof import('../windows/bench').benchInspect;
    };
    if (typeof windowsBench.benchNetshParse !== 'function') return;
    const { medianMs, rules } = windowsBench.benchNetshParse(ROUNDS);
    console.log(
      `\nnetsh show rule verbose: parse + analysis of ${rules} rules: ${medianMs.toFixed(1)} ms (median of ${ROUNDS})`,
    );
    // inspect end to end on a saved file: decode (code page guessed), detect, parse, analyse (target ≤ 300 ms).
    for (const { label, medianMs: ms, megabytes, result } of windowsBench.benchInspect?.(ROUNDS) ?? []) {
      console.log(
        `inspect ${label}, ${megabytes.toFixed(1)} MB: ${ms.toFixed(1)} ms (median of ${ROUNDS}; read as ${result.kind ?? 'nothing'}, ${result.encoding})`,
      );
    }
  } catch (error) {
    console.log(`\n(netsh benchmark unavailable: ${error instanceof Error ? error.message : String(error)})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
