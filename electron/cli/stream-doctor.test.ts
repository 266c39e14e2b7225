import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../diagnosis/types';
import { startNginx } from '../test-support/peers/nginx';
import { startRtspServer } from '../test-support/rtsp-server';
import { EXIT, main } from './stream-doctor';

const run = promisify(execFile);
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('stream-doctor diagnose', () => {
  it('prints one JSON object with the schema, and exits 0 when a playable route exists', async () => {
    const rtsp = await startRtspServer({ streams: { '/live': 'ok' } });
    closers.push(() => rtsp.close());
    const { code, stdout } = await cli([
      'diagnose',
      `mms://127.0.0.1:${rtsp.port}/live`,
      // A negative number needs the = form, or it reads as an option.
      '--code=-1072877830',
      '--timeout',
      '1500',
      '--json',
    ]);
    expect(code).toBe(EXIT.playable);
    const report = JSON.parse(stdout) as DiagnosisReport;
    expect(report.schemaVersion).toBe(1);
    expect(report.input).toMatchObject({ url: `mms://127.0.0.1:${rtsp.port}/live`, errorCode: '0xC00D2EFA' });
    expect(report.target).toEqual({ scheme: 'mms', host: '127.0.0.1', port: rtsp.port, path: '/live' });
    expect(report.dns.status).toBe('literal');
    expect(report.verdict).toMatchObject({
      code: 'use-rtsp',
      suggestedUrl: `rtsp://127.0.0.1:${rtsp.port}/live`,
    });
    for (const probe of report.probes) {
      expect(['mms', 'mmsh', 'rtsp', 'http']).toContain(probe.protocol);
      expect(['open', 'refused', 'timeout', 'unreachable', 'skipped']).toContain(probe.reachability);
      expect(typeof probe.durationMs).toBe('number');
    }
    for (const check of report.checks) expect(typeof check.command).toBe('string');
  });

  it('prints a line per check and the verdict, and exits 1 for nginx', async () => {
    const nginx = await startNginx();
    closers.push(() => nginx.close());
    const { code, stdout } = await cli([
      'diagnose',
      `http://127.0.0.1:${nginx.port}/live`,
      '--timeout',
      '1500',
    ]);
    expect(code).toBe(EXIT.problem);
    expect(stdout).toMatch(/^ {2}\[(PASS|WARN|FAIL|SKIP)\] /m);
    expect(stdout).toContain('Verdict: not-a-streaming-server');
    expect(stdout).toContain('nginx');
  });

  it('explains the = form when a negative error code is given as a separate word', async () => {
    const { code, stderr } = await cli(['diagnose', 'mms://a/b', '--code', '-1072877830']);
    expect(code).toBe(EXIT.badInput);
    expect(stderr).toContain('--code=-');
  });

  it('exits 2 with a message that says what was expected for bad input', async () => {
    for (const args of [
      ['diagnose'],
      ['diagnose', 'mms://'],
      ['diagnose', 'rtsp://[::1'],
      ['diagnose', 'mms://a/b', '--code', 'banana'],
      ['diagnose', 'mms://a/b', '--timeout', 'soon'],
      ['diagnose', 'mms://a/b', '--expect-ip', '999.1.1.1'],
      ['diagnose', 'mms://a/b', '--bogus'],
      ['frobnicate'],
    ]) {
      const { code, stderr, stdout } = await cli(args);
      expect(code, args.join(' ')).toBe(EXIT.badInput);
      expect(stdout).toBe('');
      expect(stderr.length).toBeGreaterThan(10);
      expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });
});

describe('the real entry point', () => {
  it('runs under tsx as `npm run diagnose` does and exits with the verdict’s code', async () => {
    const entry = path.join(__dirname, 'stream-doctor.ts');
    const tsx = path.join(__dirname, '../../node_modules/.bin/tsx');
    const failure = await run(tsx, [entry, 'diagnose', 'ftp://example.org/x'], { timeout: 30_000 }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(EXIT.badInput);
    expect(failure?.stderr).toContain('ftp:// is not a stream address');
  });
});
