import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../diagnosis/types';
import { TOOL_VERSION } from '../engine/run-diagnosis';
import { BLOCKING_RULE_NAME, windowsClientRecordings } from '../ipc/test-support/windows-recordings';
import { createWindowsPort } from '../ipc/windows-adapter';
import { hasSteeringCharacters } from '../common/server-text';
import { startHostileServer, STEERING_TEXT_VISIBLE } from '../test-support/hostile-servers';
import { createFilteredHost } from '../test-support/peers/netns';
import { startNginx } from '../test-support/peers/nginx';
import { startRtspServer } from '../test-support/rtsp-server';
import { WINDOWS_CHECKS } from '../windows/checks';
import { createReplayRunner } from '../windows/replay-runner';
import { EXIT, main, type CliIo } from './stream-doctor';
import { useNamespaceHost } from '../test-support/peers/namespace-host';

const run = promisify(execFile);
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

async function cli(
  args: string[],
  options: Partial<CliIo> & { signal?: AbortSignal } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const { signal, ...io } = options;
  const code = await main(
    args,
    { ...io, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    signal,
  );
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

  it('takes a negative error code as a separate word, as people type it', async () => {
    const rtsp = await startRtspServer({ streams: { '/live': 'ok' } });
    closers.push(() => rtsp.close());
    const { code, stdout, stderr } = await cli([
      'diagnose',
      `mms://127.0.0.1:${rtsp.port}/live`,
      '--code',
      '-1072877830',
      '--timeout',
      '1500',
      '--json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(EXIT.playable);
    expect((JSON.parse(stdout) as DiagnosisReport).input.errorCode).toBe('0xC00D2EFA');
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

describe('a command line that behaves like one', () => {
  it('prints its version with --version', async () => {
    for (const args of [['--version'], ['-V'], ['diagnose', '--version']]) {
      const { code, stdout, stderr } = await cli(args);
      expect(code, args.join(' ')).toBe(EXIT.playable);
      expect(stdout).toBe(`stream-doctor ${TOOL_VERSION}\n`);
      expect(stderr).toBe('');
    }
  });

  it('explains diagnose with diagnose --help, and runs nothing', async () => {
    for (const args of [
      ['diagnose', '--help'],
      ['diagnose', '-h'],
      ['help', 'diagnose'],
      ['diagnose', 'mms://a/b', '--help'],
    ]) {
      const { code, stdout } = await cli(args);
      expect(code, args.join(' ')).toBe(EXIT.playable);
      for (const option of ['--code', '--expect-ip', '--timeout', '--known-good', '--json', '--progress'])
        expect(stdout, args.join(' ')).toContain(option);
      expect(stdout).not.toContain('Verdict:');
    }
  });

  it('lists every exit code in its usage, each with its meaning', async () => {
    const { stdout } = await cli(['--help']);
    for (const [name, value] of Object.entries(EXIT))
      expect(stdout, name).toMatch(new RegExp(`^\\s+${value}\\s+\\w.{10,}$`, 'm'));
    const diagnoseHelp = (await cli(['diagnose', '--help'])).stdout;
    for (const value of Object.values(EXIT))
      expect(diagnoseHelp).toMatch(new RegExp(`^\\s+${value}\\s+\\w`, 'm'));
  });

  it('with --json, bad input is one JSON object on stdout too, and still exits 2', async () => {
    for (const args of [
      ['diagnose', '--json'],
      ['diagnose', 'mms://', '--json'],
      ['diagnose', 'mms://a/b', '--code', 'banana', '--json'],
      ['diagnose', 'mms://a/b', '--timeout', 'soon', '--json'],
      ['diagnose', 'mms://a/b', '--bogus', '--json'],
      ['diagnose', 'mms://a/b', 'mms://c/d', '--json'],
      ['frobnicate', '--json'],
    ]) {
      const { code, stdout, stderr } = await cli(args);
      expect(code, args.join(' ')).toBe(EXIT.badInput);
      expect(stderr, args.join(' ')).toBe('');
      const parsed = JSON.parse(stdout) as {
        schemaVersion: number;
        exitCode: number;
        failure: { kind: string; message: string; field?: string };
      };
      expect(parsed.schemaVersion).toBe(1);
      expect(parsed.exitCode).toBe(EXIT.badInput);
      expect(parsed.failure.kind).toBe('bad-input');
      expect(parsed.failure.message.length, args.join(' ')).toBeGreaterThan(10);
    }
    const field = JSON.parse((await cli(['diagnose', 'mms://a/b', '--code', 'banana', '--json'])).stdout);
    expect(field.failure.field).toBe('errorCode');
  });

  it('stops on Ctrl+C with exit 130, and says so in JSON with --json', async () => {
    const silent = await startHostileServer('silence');
    closers.push(() => silent.close());
    for (const json of [false, true]) {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 150);
      const { code, stdout, stderr } = await cli(
        [
          'diagnose',
          `rtsp://127.0.0.1:${silent.port}/live`,
          '--timeout',
          '5000',
          ...(json ? ['--json'] : []),
        ],
        { signal: controller.signal },
      );
      expect(code).toBe(EXIT.cancelled);
      if (json) expect(JSON.parse(stdout).failure.kind).toBe('cancelled');
      else expect(stderr).toContain('Cancelled');
    }
  });

  it('prints live progress on stderr with --progress or to a terminal, and nothing otherwise', async () => {
    const rtsp = await startRtspServer({ streams: { '/live': 'ok' } });
    closers.push(() => rtsp.close());
    const url = `rtsp://127.0.0.1:${rtsp.port}/live`;
    const quiet = await cli(['diagnose', url, '--timeout', '1500', '--json']);
    expect(quiet.stderr).toBe('');
    for (const [args, io] of [
      [['diagnose', url, '--timeout', '1500', '--json', '--progress'], {}],
      [['diagnose', url, '--timeout', '1500', '--json'], { stderrIsTerminal: true }],
    ] as const) {
      const { code, stdout, stderr } = await cli([...args], io);
      expect(code).toBe(EXIT.playable);
      // stdout is still exactly the report.
      const report = JSON.parse(stdout) as DiagnosisReport;
      const lines = stderr.trimEnd().split('\n');
      for (const check of report.checks) expect(lines.some((l) => l.includes(check.title))).toBe(true);
      expect(stderr).toMatch(/RTSP on port \d+: open/);
      expect(lines.length).toBeGreaterThanOrEqual(report.checks.length);
    }
  });

  it('runs this computer’s checks too: announced as not available outside Windows', async () => {
    const rtsp = await startRtspServer({ streams: { '/live': 'ok' } });
    closers.push(() => rtsp.close());
    const { stdout } = await cli([
      'diagnose',
      `rtsp://127.0.0.1:${rtsp.port}/live`,
      '--timeout',
      '1500',
      '--json',
    ]);
    const report = JSON.parse(stdout) as DiagnosisReport;
    const local = report.checks.filter((c) => Object.values(WINDOWS_CHECKS).some((w) => w.id === c.id));
    expect(local.map((c) => c.id)).toEqual(Object.values(WINDOWS_CHECKS).map((c) => c.id));
    expect(local.every((c) => c.status === 'skip' && /not available on this system/i.test(c.summary))).toBe(
      true,
    );
  });

  it('on Windows, lists the changes the app would make, with their exact commands (replayed real outputs)', async () => {
    const rtsp = await startRtspServer({ streams: { '/live': 'ok' } });
    closers.push(() => rtsp.close());
    const runner = createReplayRunner(windowsClientRecordings());
    const windows = createWindowsPort({
      runner,
      platform: 'win32',
      journalFile: '/nonexistent/journal.json',
    });
    const { stdout } = await cli(['diagnose', `rtsp://127.0.0.1:${rtsp.port}/live`, '--timeout', '1500'], {
      localChecks: windows,
    });
    expect(stdout).toContain(`possibly blocked by "${BLOCKING_RULE_NAME}"`);
    expect(stdout).toMatch(/Changes that may help on this computer/);
    expect(stdout).toContain(`Disable the outbound block rule "${BLOCKING_RULE_NAME}"`);
    expect(stdout).toContain(
      `netsh advfirewall firewall set rule "name=${BLOCKING_RULE_NAME}" dir=out new enable=no`,
    );
    // Read-only: nothing was changed.
    expect(runner.calls.filter((c) => c.args.includes('set'))).toEqual([]);
  });

  describe('a filtered host (network namespace with an iptables DROP rule)', () => {
    const namespaceHost = useNamespaceHost(createFilteredHost, 'filtered-host');

    it('says at once that nothing has answered yet, and still gives the verdict at the deadline', async (context) => {
      const host = namespaceHost();
      if (!host) return context.skip();
      const { code, stdout, stderr } = await cli([
        'diagnose',
        `mms://${host.address}/live`,
        '--timeout',
        '2000',
        '--progress',
      ]);
      expect(code).toBe(EXIT.problem);
      expect(stderr).toMatch(
        new RegExp(
          `No answer yet from ${host.address.replace(/\./g, '\\.')} \\(ports? [\\d, ]+\\) — waiting up to 2 s`,
        ),
      );
      const lines = stderr.split('\n');
      const waitingLine = lines.findIndex((l) => l.includes('No answer yet'));
      const firstProbeLine = lines.findIndex((l) => / on port \d+: /.test(l));
      expect(waitingLine).toBeLessThan(firstProbeLine);
      expect(stdout).toContain('Verdict: ports-filtered');
    });
  });
});

describe('text from a server is data, in the text output and in the JSON', () => {
  /** Every string in a parsed JSON value. */
  const stringsOf = (value: unknown): string[] =>
    typeof value === 'string'
      ? [value]
      : Array.isArray(value)
        ? value.flatMap(stringsOf)
        : value !== null && typeof value === 'object'
          ? Object.values(value).flatMap(stringsOf)
          : [];

  for (const scheme of ['http', 'rtsp', 'mms'] as const) {
    it(`${scheme}:// to a server whose every text carries ESC, NUL, CR and bidi overrides`, async () => {
      const hostile = await startHostileServer('steering-text');
      closers.push(() => hostile.close());
      const url = `${scheme}://127.0.0.1:${hostile.port}/live`;
      const text = await cli(['diagnose', url, '--timeout', '1500', '--progress']);
      for (const line of `${text.stdout}${text.stderr}`.split('\n'))
        expect(hasSteeringCharacters(line), JSON.stringify(line).slice(0, 160)).toBe(false);
      const json = await cli(['diagnose', url, '--timeout', '1500', '--json']);
      const strings = stringsOf(JSON.parse(json.stdout));
      for (const value of strings)
        expect(
          hasSteeringCharacters(value.replace(/\r\n|[\n\t]/g, ' ')),
          JSON.stringify(value).slice(0, 160),
        ).toBe(false);
      // Disarmed, not dropped: what the server said is still there to read.
      expect(strings.some((value) => value.includes(STEERING_TEXT_VISIBLE))).toBe(true);
      expect(text.stdout).toContain(STEERING_TEXT_VISIBLE);
    });
  }
});

describe('a last guard in the CLI output', () => {
  it('cleans text that did not come through a probe (a firewall rule name read on this computer)', async () => {
    const rtsp = await startRtspServer({ streams: { '/live': 'ok' } });
    closers.push(() => rtsp.close());
    const steering = 'Block\x1b[2J\x1b]0;pwned\x07\u202Eexe.gnp\x00\rX';
    const heading = { id: 'firewall-client', tier: 'moderate', title: `Firewall ${steering}` } as const;
    const localChecks: NonNullable<CliIo['localChecks']> = {
      plan: () => [heading],
      inspect: async () => ({
        checks: [{ ...heading, status: 'fail', summary: `Rule "${steering}" blocks TCP 554.`, command: '' }],
        fixes: [
          {
            id: 'disable',
            title: `Disable "${steering}"`,
            description: steering,
            needsAdmin: true,
            changes: [],
            commands: [`netsh advfirewall firewall set rule "name=${steering}" new enable=no`],
            undoCommands: [],
            checkIds: ['firewall-client'],
            doubt: null,
          },
        ],
      }),
    };
    const url = `rtsp://127.0.0.1:${rtsp.port}/live`;
    const text = await cli(['diagnose', url, '--timeout', '1500', '--progress'], { localChecks });
    expect(text.stdout).toContain('pwned');
    for (const line of `${text.stdout}${text.stderr}`.split('\n'))
      expect(hasSteeringCharacters(line), JSON.stringify(line).slice(0, 160)).toBe(false);
    const json = await cli(['diagnose', url, '--timeout', '1500', '--json'], { localChecks });
    expect(json.stdout).toContain('pwned');
    expect(json.stdout).not.toMatch(/\\u00(0|1|7f|8|9)|\\r(?!\\n)|\u202e/i);
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
