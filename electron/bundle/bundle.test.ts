import { createHash } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { windowsClientRecordings } from '../ipc/test-support/windows-recordings';
import { createReplayRunner } from '../windows/replay-runner';
import { createAppLog } from './app-log';
import { buildBundle, bundleFileName, type BundleContents } from './build-bundle';
import { BUNDLE_LIMITS, openReportOrBundle, unzipBounded } from './read-bundle';
import { stripControlCharacters } from './sanitize';
import { collectSystemFacts, NOT_AVAILABLE } from './system-facts';
import { sampleReport } from './test-support/sample-report';
import { BUNDLE_FILES, type BundleManifest, type SystemFacts } from './types';

const CREATED = new Date('2026-03-04T05:07:00.000Z');

async function contents(overrides: Partial<BundleContents> = {}): Promise<BundleContents> {
  const log = createAppLog(() => CREATED);
  log.info('Diagnosis started: mms://media.example.org/live');
  log.error('A probe failed: connection reset');
  return {
    report: sampleReport(),
    userErrorText: 'Windows Media Player cannot play the file. 0xC00D2EFA',
    systemFacts: await collectSystemFacts({
      runner: createReplayRunner(windowsClientRecordings()),
      platform: 'win32',
      computerName: 'PC-REMOTE-07',
      now: () => CREATED,
    }),
    appLog: log.entries(),
    createdAt: CREATED,
    computerName: 'PC-REMOTE-07',
    ...overrides,
  };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Re-zips a bundle's entries after `change` edits them (the manifest stays as it was unless changed). */
function rezip(zip: Uint8Array, change: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(zip);
  change(files);
  return zipSync(files);
}

describe('support bundle: what goes in', () => {
  it('holds every promised file, and the manifest has the right size and SHA-256 of each', async () => {
    const zip = buildBundle(await contents());
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(Object.values(BUNDLE_FILES).sort());
    const manifest = JSON.parse(strFromU8(files[BUNDLE_FILES.manifest]!)) as BundleManifest;
    expect(manifest).toMatchObject({
      kind: 'stream-doctor-support-bundle',
      schemaVersion: 1,
      computerName: 'PC-REMOTE-07',
      createdAt: CREATED.toISOString(),
    });
    expect(manifest.files.map((f) => f.name).sort()).toEqual(
      Object.values(BUNDLE_FILES)
        .filter((name) => name !== BUNDLE_FILES.manifest)
        .sort(),
    );
    for (const entry of manifest.files) {
      expect(entry.sha256, entry.name).toBe(sha256(files[entry.name]!));
      expect(entry.bytes, entry.name).toBe(files[entry.name]!.length);
    }
    expect(JSON.parse(strFromU8(files[BUNDLE_FILES.reportJson]!))).toEqual(sampleReport());
    expect(strFromU8(files[BUNDLE_FILES.reportHtml]!)).toContain('<!doctype html>');
    expect(strFromU8(files[BUNDLE_FILES.userError]!)).toContain('0xC00D2EFA');
    expect(strFromU8(files[BUNDLE_FILES.appLog]!)).toMatch(/ERROR .*connection reset/);
  });

  it('carries the Windows facts read from recorded outputs of a Windows 10 client', async () => {
    const { systemFacts } = await contents();
    const byId = Object.fromEntries(systemFacts.sections.map((s) => [s.id, s]));
    expect(byId.os?.status).toBe('ok');
    expect(byId.os?.lines[0]).toMatch(/Windows 10.*build \d+/);
    expect(byId['firewall-profiles']?.status).toBe('ok');
    expect(byId['firewall-profiles']?.lines.join('\n')).toMatch(/on, inbound block/i);
    expect(byId['firewall-rules']?.status).toBe('ok');
    expect(byId['firewall-rules']?.lines[0]).toMatch(/^\d+ of \d+ rules matter for streaming\.$/);
    // The recordings hold sc's real 1060 answer: WMServer is not installed there.
    expect(byId.wmserver?.lines).toEqual(['WMServer is not installed (error 1060).']);
    // No one recorded WMP's Active Setup key: the section says the command failed, not a made-up version.
    expect(byId['wmp-version']?.status).toBe('error');
    expect(systemFacts.checks.length).toBeGreaterThan(5);
  });

  it('outside Windows, every fact says "not available on this system"', async () => {
    const facts = await collectSystemFacts({
      runner: createReplayRunner([]),
      platform: 'linux',
      computerName: 'build-box',
    });
    expect(facts.sections.length).toBe(6);
    for (const section of facts.sections) {
      expect(section.status).toBe('unavailable');
      expect(section.lines).toEqual([NOT_AVAILABLE]);
    }
    expect(facts.checks.every((c) => c.status === 'skip')).toBe(true);
  });

  it('names the file after the host and the time, with nothing a file system objects to', () => {
    expect(bundleFileName(sampleReport(), CREATED)).toBe(
      'stream-doctor-bundle-media.example.org-2026-03-04T05-07-00Z.zip',
    );
  });
});

describe('support bundle: opening one', () => {
  it('gives back the run, the computer name, the error text, the facts and the log, with no warning', async () => {
    const opened = openReportOrBundle(buildBundle(await contents()), 'C:\\Users\\it\\Downloads\\b.zip');
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.value).toMatchObject({
      kind: 'bundle',
      fileName: 'b.zip',
      computerName: 'PC-REMOTE-07',
      createdAt: CREATED.toISOString(),
      userErrorText: 'Windows Media Player cannot play the file. 0xC00D2EFA',
      warnings: [],
    });
    expect(opened.value.report).toEqual(sampleReport());
    expect(opened.value.systemFacts?.sections.map((s) => s.id)).toContain('firewall-rules');
    expect(opened.value.appLog).toHaveLength(2);
  });

  it('opens a bare JSON report too, with no computer name', () => {
    const opened = openReportOrBundle(strToU8(JSON.stringify(sampleReport())), 'report.json');
    expect(opened.ok && opened.value.kind).toBe('report');
    expect(opened.ok && opened.value.computerName).toBeNull();
  });

  it('refuses a bundle of a newer schema, saying so', async () => {
    const zip = rezip(buildBundle(await contents()), (files) => {
      const manifest = JSON.parse(strFromU8(files[BUNDLE_FILES.manifest]!)) as BundleManifest;
      files[BUNDLE_FILES.manifest] = strToU8(
        JSON.stringify({ ...manifest, schemaVersion: 2, files: 'new layout' }),
      );
    });
    const opened = openReportOrBundle(zip, 'future.zip');
    expect(opened.ok).toBe(false);
    expect(!opened.ok && opened.message).toMatch(
      /newer Stream Doctor \(bundle schema 2\).*reads bundle schema 1/,
    );
  });

  it('refuses a report of a newer schema', () => {
    const opened = openReportOrBundle(
      strToU8(JSON.stringify({ ...sampleReport(), schemaVersion: 3 })),
      'r.json',
    );
    expect(!opened.ok && opened.message).toMatch(/newer Stream Doctor \(report schema 3\)/);
  });

  it('flags a file changed after the bundle was made, by name, and still shows the run', async () => {
    const zip = rezip(buildBundle(await contents()), (files) => {
      const report = sampleReport();
      report.verdict.summary = 'Everything is fine, nothing to see.';
      files[BUNDLE_FILES.reportJson] = strToU8(JSON.stringify(report));
    });
    const opened = openReportOrBundle(zip, 'tampered.zip');
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.value.warnings).toHaveLength(1);
    expect(opened.value.warnings[0]).toMatch(/^report\.json does not match the SHA-256 in the manifest/);
    expect(opened.value.report.verdict.summary).toBe('Everything is fine, nothing to see.');
  });

  it('flags a listed file that is missing and an extra file the manifest does not list', async () => {
    const zip = rezip(buildBundle(await contents()), (files) => {
      delete files[BUNDLE_FILES.appLog];
      files['run-me.bat'] = strToU8('format c:');
    });
    const opened = openReportOrBundle(zip, 'b.zip');
    expect(opened.ok && opened.value.warnings).toEqual([
      'app-log.txt is listed in the manifest but missing from the bundle.',
      'run-me.bat is in the bundle but not in its manifest; it was ignored.',
    ]);
  });

  it('refuses what does not validate against the report schema, before showing anything', () => {
    const { verdict: _verdict, ...withoutVerdict } = sampleReport();
    const opened = openReportOrBundle(strToU8(JSON.stringify(withoutVerdict)), 'r.json');
    expect(!opened.ok && opened.message).toMatch(/not a Stream Doctor report: .*verdict/);
    const badStatus = sampleReport();
    (badStatus.checks[0] as { status: string }).status = '<img src=x onerror=alert(1)>';
    expect(openReportOrBundle(strToU8(JSON.stringify(badStatus)), 'r.json').ok).toBe(false);
    expect(openReportOrBundle(strToU8('MZ\x90\x00 not a report'), 'setup.exe')).toEqual({
      ok: false,
      message: 'setup.exe is not a Stream Doctor report (.json) or support bundle (.zip).',
    });
  });
});

describe('support bundle: zip bombs and hostile content', () => {
  it('refuses a file larger than the bound before unpacking anything', () => {
    const opened = openReportOrBundle(new Uint8Array(BUNDLE_LIMITS.fileBytes + 1), 'huge.zip');
    expect(!opened.ok && opened.message).toMatch(/larger than any Stream Doctor report or bundle/);
  });

  it('refuses more entries than a bundle has', () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i <= BUNDLE_LIMITS.entries; i++) files[`f${i}.txt`] = strToU8('x');
    const result = unzipBounded(zipSync(files));
    expect(!result.ok && result.message).toBe(`it holds more than ${BUNDLE_LIMITS.entries} files`);
  });

  it('stops inflating an entry at the bound (50 MB of zeros in a 50 KB zip)', () => {
    const bomb = zipSync({ 'report.json': new Uint8Array(50 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(100 * 1024);
    const result = unzipBounded(bomb);
    expect(!result.ok && result.message).toMatch(/report\.json would be 50\.0 MB unpacked/);
  });

  it('counts the bytes actually inflated, not the size the zip claims', () => {
    const bomb = zipSync({ 'report.json': new Uint8Array(40 * 1024 * 1024) }, { level: 9 });
    // Lie in the local header and the central directory: "10 bytes unpacked".
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    view.setUint32(22, 10, true);
    const central = bomb.findIndex(
      (_, i) => bomb[i] === 0x50 && bomb[i + 1] === 0x4b && bomb[i + 2] === 0x01 && bomb[i + 3] === 0x02,
    );
    view.setUint32(central + 24, 10, true);
    const result = unzipBounded(bomb);
    expect(!result.ok && result.message).toMatch(/report\.json unpacks to more than 8\.0 MB/);
  });

  it('refuses entries that together unpack past the total bound', () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 4; i++) files[`f${i}.bin`] = new Uint8Array(7 * 1024 * 1024);
    const result = unzipBounded(zipSync(files, { level: 9 }));
    expect(!result.ok && result.message).toMatch(/unpack to more than 24\.0 MB together/);
  });

  it('strips control characters from every string and drops prototype keys', async () => {
    const esc = '\u001b[2J\u001b]0;pwned\u0007';
    const report = sampleReport();
    report.verdict.summary = `${esc}All good\u202Egnp.exe`;
    report.checks[0]!.evidence = `line 1\r\nline 2\u0000\u009b31m`;
    report.input.url = 'mms://media.example.org/live<script>alert(1)</script>';
    const json = JSON.stringify(report).replace(
      '{"schemaVersion"',
      '{"__proto__":{"polluted":true},"schemaVersion"',
    );
    const base = await contents();
    const zip = rezip(buildBundle({ ...base, computerName: `PC${esc}` }), (files) => {
      files[BUNDLE_FILES.reportJson] = strToU8(json);
      files[BUNDLE_FILES.userError] = strToU8(`error${esc}\n`);
      files[BUNDLE_FILES.appLog] = strToU8(`2026 INFO ${esc}hello\n`);
    });
    const opened = openReportOrBundle(zip, `evil${esc}.zip`);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const everyString: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'string') everyString.push(value);
      else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) {
          walk(k);
          walk(v);
        }
    };
    walk(opened.value);
    // eslint-disable-next-line no-control-regex -- control characters are what this test looks for
    const control = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
    expect(everyString.filter((s) => control.test(s))).toEqual([]);
    expect(opened.value.report.verdict.summary).toBe('[2J]0;pwnedAll goodgnp.exe');
    expect(opened.value.report.checks[0]?.evidence).toBe('line 1\nline 231m');
    // Markup stays text: it is data, and the views escape it.
    expect(opened.value.report.input.url).toContain('<script>');
    expect(opened.value.computerName).toBe('PC[2J]0;pwned');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(opened.value.report)).toBe(Object.prototype);
    expect(opened.value.warnings.some((w) => w.startsWith('report.json does not match'))).toBe(true);
  });

  it('refuses JSON nested deeper than a report ever is', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const opened = openReportOrBundle(strToU8(`{"a":${deep}}`), 'deep.json');
    expect(!opened.ok && opened.message).toMatch(/nested more than 32 levels/);
  });
});

describe('sanitising text', () => {
  it('keeps tabs and line breaks, normalises CRLF, removes the rest', () => {
    expect(stripControlCharacters('a\tb\r\nc\rd\u0007e\u001b[0m\u2066f')).toBe('a\tb\nc\nde[0mf');
  });

  it('system facts survive the round trip through their own schema', async () => {
    const { systemFacts } = await contents();
    const opened = openReportOrBundle(buildBundle(await contents()), 'b.zip');
    expect(opened.ok && (opened.value.systemFacts as SystemFacts)).toEqual(systemFacts);
  });
});

describe('verdict codes', () => {
  it('refuses a verdict this build cannot explain, pointing at a newer build', () => {
    const report = sampleReport();
    (report.verdict as { code: string }).code = 'quantum-interference';
    const opened = openReportOrBundle(strToU8(JSON.stringify(report)), 'r.json');
    expect(!opened.ok && opened.message).toMatch(/verdict is one this version .* does not know/);
  });
});
