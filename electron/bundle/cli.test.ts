import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, formatReport, main } from '../cli/stream-doctor';
import { windowsClientRecordings } from '../ipc/test-support/windows-recordings';
import { createWindowsPort } from '../ipc/windows-adapter';
import { SELF_TEST_PATH, startRtspResponder, type Responder } from '../self-test/responders';
import { startSelfTestResponders } from '../self-test/run-self-test';
import { runSelfTestCli, SELF_TEST_EXIT } from '../self-test/cli';
import { createReplayRunner } from '../windows/replay-runner';
import { BUNDLE_EXIT, runBundle, runShow, SHOW_EXIT, type BundleCliDeps } from './cli';
import { openReportOrBundle } from './read-bundle';
import { sampleReport } from './test-support/sample-report';
import { BUNDLE_FILES, type BundleManifest } from './types';

let dir = '';
let rtsp: Responder;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'stream-doctor-bundle-cli-'));
  rtsp = await startRtspResponder();
});
afterAll(async () => {
  await rtsp.close();
});

const NOW = new Date('2026-05-06T07:08:09.000Z');

function io() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) },
  };
}

function deps(overrides: Partial<BundleCliDeps> = {}): BundleCliDeps {
  return {
    formatReport,
    platform: 'linux',
    runner: createReplayRunner([]),
    computerName: 'REMOTE-PC',
    now: () => NOW,
    cwd: dir,
    ...overrides,
  };
}

async function makeBundle(name: string, extra: Partial<BundleCliDeps> = {}): Promise<string> {
  const reportFile = path.join(dir, `${name}.json`);
  await writeFile(reportFile, JSON.stringify(sampleReport()));
  const { io: cliIo } = io();
  const code = await runBundle(
    ['--report', reportFile, '--code', 'It said 0xC00D2EFA', '--out', `${name}.zip`],
    cliIo,
    deps(extra),
  );
  expect(code).toBe(BUNDLE_EXIT.ok);
  return path.join(dir, `${name}.zip`);
}

describe('stream-doctor bundle', () => {
  it('diagnoses the address given and writes a bundle with the run, the facts and the log (exit 0)', async () => {
    const { io: cliIo, out } = io();
    const url = `rtsp://127.0.0.1:${rtsp.port}${SELF_TEST_PATH}`;
    const code = await runBundle([url, '--timeout', '1500', '--out', 'run.zip'], cliIo, deps());
    expect(code).toBe(BUNDLE_EXIT.ok);
    const file = path.join(dir, 'run.zip');
    expect(out.stdout).toContain(`Support bundle written: ${file}`);
    const opened = openReportOrBundle(await readFile(file), file);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.value.report.input.url).toBe(url);
    expect(opened.value.report.probes.some((p) => p.protocol === 'rtsp' && p.speaks)).toBe(true);
    expect(opened.value.warnings).toEqual([]);
    expect(opened.value.appLog.join('\n')).toMatch(/Diagnosis started: rtsp:\/\/127\.0\.0\.1.*\n.*Probe /);
    expect(opened.value.appLog.at(-1)).toMatch(/Diagnosis finished: verdict /);
    // Not Windows: every fact says so.
    expect(opened.value.systemFacts?.sections.every((s) => s.status === 'unavailable')).toBe(true);
  });

  it('takes a negative error code without "=", as diagnose does', async () => {
    const { io: cliIo, out } = io();
    const url = `rtsp://127.0.0.1:${rtsp.port}${SELF_TEST_PATH}`;
    const code = await runBundle(
      [url, '--code', '-1072877830', '--timeout', '1500', '--out', 'negative.zip'],
      cliIo,
      deps(),
    );
    expect(out.stderr).not.toMatch(/usage/i);
    expect(code).toBe(BUNDLE_EXIT.ok);
    const opened = openReportOrBundle(await readFile(path.join(dir, 'negative.zip')), 'negative.zip');
    expect(opened.ok && opened.value.report.error?.hex).toBe('0xC00D2EFA');
  });

  it('runs the read-only Windows checks alongside, as diagnose does, when it has them', async () => {
    const windows = createWindowsPort({
      runner: createReplayRunner(windowsClientRecordings()),
      platform: 'win32',
      journalFile: '',
    });
    const { io: cliIo } = io();
    const url = `rtsp://127.0.0.1:${rtsp.port}${SELF_TEST_PATH}`;
    const code = await runBundle(
      [url, '--timeout', '1500', '--out', 'full.zip'],
      cliIo,
      deps({ localChecks: { plan: (t) => windows.plan(t), inspect: (t, s) => windows.inspect(t, s) } }),
    );
    expect(code).toBe(BUNDLE_EXIT.ok);
    const opened = openReportOrBundle(await readFile(path.join(dir, 'full.zip')), 'full.zip');
    const os = opened.ok ? opened.value.report.checks.find((c) => c.id === 'windows.os') : undefined;
    expect(os?.status).toBe('pass');
    expect(os?.summary).toMatch(/Windows 10/);
  });

  it('packs a saved report with the facts of a (replayed) Windows 10 client', async () => {
    const file = await makeBundle('packed', {
      platform: 'win32',
      runner: createReplayRunner(windowsClientRecordings()),
    });
    const files = unzipSync(await readFile(file));
    const manifest = JSON.parse(strFromU8(files[BUNDLE_FILES.manifest]!)) as BundleManifest;
    expect(manifest.computerName).toBe('REMOTE-PC');
    expect(strFromU8(files[BUNDLE_FILES.userError]!)).toBe('It said 0xC00D2EFA\n');
    expect(strFromU8(files[BUNDLE_FILES.systemFacts]!)).toMatch(/"status": "ok"/);
  });

  it('exits 2 for bad input and 1 when the file cannot be written', async () => {
    for (const args of [[], ['a', 'b'], ['mms://a/b', '--report', 'x.json'], ['ftp://x/y'], ['--bogus']]) {
      const { io: cliIo, out } = io();
      expect(await runBundle(args, cliIo, deps()), args.join(' ')).toBe(BUNDLE_EXIT.badInput);
      expect(out.stderr.length).toBeGreaterThan(10);
    }
    const { io: cliIo, out } = io();
    await writeFile(path.join(dir, 'r.json'), JSON.stringify(sampleReport()));
    const code = await runBundle(
      ['--report', path.join(dir, 'r.json'), '--out', path.join(dir, 'no-such-folder', 'b.zip')],
      cliIo,
      deps(),
    );
    expect(code).toBe(BUNDLE_EXIT.failed);
    expect(out.stderr).toMatch(/could not be written/);
  });
});

describe('stream-doctor show', () => {
  it('prints whose machine and when, the run as diagnose does, and the system facts (exit 0)', async () => {
    const file = await makeBundle('shown');
    const { io: cliIo, out } = io();
    expect(await runShow([file], cliIo, deps())).toBe(SHOW_EXIT.shown);
    expect(out.stdout).toMatch(/^Support bundle shown\.zip from REMOTE-PC, made 2026-05-06T07:08:09\.000Z/);
    expect(out.stdout).toContain("The user's error text: It said 0xC00D2EFA");
    expect(out.stdout).toContain(formatReport(sampleReport()).trimEnd());
    expect(out.stdout).toMatch(
      /System facts \(linux, read .*\):\n {2}Windows edition and build \[unavailable\]/,
    );
    expect(out.stdout).not.toContain('WARNING');
  });

  it('shows a tampered bundle with a warning naming the file, and exits 1', async () => {
    const file = await makeBundle('tampered');
    const files = unzipSync(await readFile(file));
    files[BUNDLE_FILES.reportJson] = strToU8(
      JSON.stringify(sampleReport({ durationMs: 1 }), null, 2).replace('"use-rtsp"', '"ok"'),
    );
    await writeFile(file, zipSync(files));
    const { io: cliIo, out } = io();
    expect(await runShow([file], cliIo, deps())).toBe(SHOW_EXIT.warnings);
    expect(out.stdout).toMatch(/^WARNING: report\.json does not match the SHA-256 in the manifest/);
    expect(out.stdout).toContain('Verdict: ok');
  });

  it('refuses a newer bundle schema with a clear message (exit 2)', async () => {
    const file = await makeBundle('newer');
    const files = unzipSync(await readFile(file));
    const manifest = JSON.parse(strFromU8(files[BUNDLE_FILES.manifest]!)) as BundleManifest;
    files[BUNDLE_FILES.manifest] = strToU8(JSON.stringify({ ...manifest, schemaVersion: 7 }));
    await writeFile(file, zipSync(files));
    const { io: cliIo, out } = io();
    expect(await runShow([file], cliIo, deps())).toBe(SHOW_EXIT.refused);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/newer Stream Doctor \(bundle schema 7\)/);
  });

  it('never prints a terminal escape sequence from a hostile report', async () => {
    const hostile = sampleReport();
    hostile.verdict.summary = '\u001b]0;owned\u0007\u001b[2JAll fine';
    hostile.checks[0]!.title = 'Check \u009b6n';
    const file = path.join(dir, 'hostile.json');
    await writeFile(file, JSON.stringify(hostile));
    const { io: cliIo, out } = io();
    expect(await runShow([file], cliIo, deps())).toBe(SHOW_EXIT.shown);
    expect(out.stdout).toContain(']0;owned[2JAll fine');
    // eslint-disable-next-line no-control-regex -- the escape characters are what must not appear
    expect(out.stdout).not.toMatch(/[\u001b\u0007\u009b]/);
  });

  it('exits 2 for a missing file, a non-report and no argument', async () => {
    await writeFile(path.join(dir, 'notes.txt'), 'hello');
    for (const args of [[], ['nope.zip'], ['notes.txt'], ['a', 'b']]) {
      const { io: cliIo, out } = io();
      expect(await runShow(args, cliIo, deps()), args.join(' ')).toBe(SHOW_EXIT.refused);
      expect(out.stderr.length).toBeGreaterThan(10);
    }
  });
});

describe('stream-doctor self-test', () => {
  it('exits 0 with a PASS line per protocol, through the CLI entry', async () => {
    let stdout = '';
    const code = await main(['self-test'], { stdout: (t) => (stdout += t), stderr: () => undefined });
    expect(code).toBe(SELF_TEST_EXIT.passed);
    expect(stdout.match(/^ {2}\[PASS\] /gm)).toHaveLength(3);
    expect(stdout).toContain('Stream Doctor works on this computer');
  });

  it('exits 1 when a responder is not listening, and 2 for an unknown argument', async () => {
    const { io: cliIo, out } = io();
    const code = await runSelfTestCli(['--json'], cliIo, {
      timeoutMs: 2000,
      startResponders: async () => {
        const responders = await startSelfTestResponders();
        await responders.mms.close();
        return responders;
      },
    });
    expect(code).toBe(SELF_TEST_EXIT.failed);
    expect(JSON.parse(out.stdout)).toMatchObject({ passed: false, loopbackBlocked: true });
    const bad = io();
    expect(await main(['self-test', '--fast'], bad.io)).toBe(EXIT.badInput);
  });

  it('dispatches show and bundle from the CLI entry', async () => {
    const bad = io();
    expect(await main(['show'], bad.io)).toBe(SHOW_EXIT.refused);
    expect(await main(['bundle'], bad.io)).toBe(BUNDLE_EXIT.badInput);
  });
});
