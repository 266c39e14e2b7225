// Elevation that trusts nothing the user's processes control: the Windows folder never comes from the
// environment, and every value reaches the elevated script as encoded data, so any profile path works.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodePowerShell, displayCommand } from '../command-line';
import { withoutSourceLine } from '../replay-runner';
import type { CommandResult, CommandRunner, CommandSpec } from '../runner';
import { createUacElevator, NO_SAFE_WINDOWS_DIRECTORY } from './elevation';
import { setEdge } from './test-support/edge-rule';
import { findWindowsDirectory, windowsDirectoryFromModules } from './windows-directory';

const netshSet: CommandSpec = setEdge(false);

function recordingRunner(): CommandRunner & { started: CommandSpec[] } {
  const started: CommandSpec[] = [];
  return {
    started,
    run(spec) {
      started.push(spec);
      const result: CommandResult = {
        file: spec.file,
        args: [...spec.args],
        exitCode: 0,
        stdout: Buffer.alloc(0),
        stderr: Buffer.alloc(0),
        timedOut: false,
        truncated: false,
        aborted: false,
        error: null,
        durationMs: 0,
      };
      return Promise.resolve(result);
    },
  };
}

/** The outer script, the inner script and the data document, as the elevated side would decode them. */
function decoded(spec: CommandSpec) {
  const outer = decodePowerShell(spec.args.at(-1) ?? '');
  const inner = decodePowerShell(/'-EncodedCommand','([^']+)'/.exec(outer)?.[1] ?? '');
  const data = JSON.parse(
    Buffer.from(/FromBase64String\('([^']+)'\)/.exec(inner)?.[1] ?? '', 'base64').toString('utf8'),
  ) as { resultFile: string; commands: Array<{ program: string; args: string[] }> };
  return { outer, inner, data };
}

async function elevate(workDir: string, windowsDirectory: string | null = 'C:\\Windows') {
  const runner = recordingRunner();
  const read: string[] = [];
  const elevator = createUacElevator({
    runner,
    workDir,
    windowsDirectory,
    readFile: (file) => {
      read.push(file);
      return Promise.resolve(Buffer.from(JSON.stringify([{ exitCode: 0, output: 'Ok.\r\n' }])));
    },
    removeFile: () => Promise.resolve(),
  });
  const run = await elevator.run([netshSet]);
  return { run, runner, read };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('the Windows folder of programs that run elevated', () => {
  it('ignores a spoofed %SystemRoot%: the elevated PowerShell and its programs come from the trusted folder', async () => {
    vi.stubEnv('SystemRoot', 'C:\\Users\\Public\\fake');
    vi.stubEnv('windir', 'C:\\Users\\Public\\fake');
    const { runner } = await elevate('C:\\Users\\me\\AppData\\Roaming\\Stream Doctor');
    expect(runner.started.map((spec) => spec.file)).toEqual([
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    ]);
    const { outer, inner, data } = decoded(runner.started[0]!);
    for (const text of [outer, inner, JSON.stringify(data)]) expect(text).not.toContain('fake');
    // Inside, programs are found with GetSystemDirectoryW, by a fixed name.
    expect(outer).toContain(
      "Join-Path ([Environment]::SystemDirectory) 'WindowsPowerShell\\v1.0\\powershell.exe'",
    );
    expect(inner).toContain('$system = [Environment]::SystemDirectory');
    expect(data.commands).toEqual([{ program: 'netsh.exe', args: netshSet.args }]);
  });

  it('takes the folder from where the loader mapped the Known DLLs, not from the environment', () => {
    const modules = withoutSourceLine(
      readFileSync(new URL('./fixtures/node-report-sharedobjects-win10.txt', import.meta.url)),
    )
      .toString('utf8')
      .split('\n')
      .map((line) =>
        line
          .trim()
          .replace(/^"|",?$/g, '')
          .replace(/\\\\/g, '\\'),
      )
      .filter((line) => line !== '');
    expect(windowsDirectoryFromModules(modules)).toBe('C:\\WINDOWS');
    vi.stubEnv('SystemRoot', 'C:\\Users\\Public\\fake');
    vi.spyOn(process.report, 'getReport').mockReturnValue({ sharedObjects: modules } as never);
    expect(findWindowsDirectory('win32')).toBe('C:\\WINDOWS');
    expect(findWindowsDirectory('linux')).toBeNull();
  });

  it.runIf(process.platform === 'win32')('finds this Windows machine’s own folder', () => {
    // On the Windows CI runner: the real diagnostic report of this process.
    expect(findWindowsDirectory()).toMatch(/^[A-Za-z]:\\[^\\]+$/);
  });

  it('trusts no folder when the modules disagree or look odd, and then elevates nothing', async () => {
    expect(
      windowsDirectoryFromModules(['C:\\Windows\\System32\\ntdll.dll', 'D:\\Win\\System32\\KERNEL32.DLL']),
    ).toBeNull();
    expect(windowsDirectoryFromModules(["C:\\Users\\O'x\\System32\\ntdll.dll"])).toBeNull();
    expect(windowsDirectoryFromModules(['\\\\server\\share\\System32\\ntdll.dll'])).toBeNull();
    expect(windowsDirectoryFromModules([])).toBeNull();
    const { run, runner } = await elevate('C:\\Users\\me', null);
    expect(run).toEqual({ declined: false, results: [], error: NO_SAFE_WINDOWS_DIRECTORY });
    expect(runner.started).toEqual([]);
  });
});

describe('data reaches the elevated script encoded', () => {
  it.each([
    ["an apostrophe (C:\\Users\\O'Brien)", "C:\\Users\\O'Brien\\AppData\\Roaming\\Stream Doctor"],
    ['Unicode quotes (’ ‘)', 'C:\\Users\\Zoë ‘Z’ Ng\\AppData\\Roaming\\Stream Doctor'],
    ['PowerShell’s own syntax ($, `, ;)', 'C:\\Users\\a$b`c;d\\AppData\\Roaming\\Stream Doctor'],
  ])('a profile folder with %s works, and never appears in script text', async (_what, workDir) => {
    const { run, runner, read } = await elevate(workDir);
    expect(run.error).toBeNull();
    expect(run.results.map((r) => r.exitCode)).toEqual([0]);
    const { outer, inner, data } = decoded(runner.started[0]!);
    expect(data.resultFile.startsWith(`${workDir}\\stream-doctor-fix-`)).toBe(true);
    expect(read).toEqual([data.resultFile]);
    expect(outer).not.toContain(workDir);
    expect(inner).not.toContain(workDir);
    expect(inner).toContain('Set-Content -LiteralPath $data.resultFile');
  });

  it('refuses a program outside the elevated table, before anything starts', async () => {
    const runner = recordingRunner();
    const elevator = createUacElevator({
      runner,
      workDir: 'C:\\Users\\me',
      windowsDirectory: 'C:\\Windows',
      readFile: () => Promise.reject(new Error('not expected')),
      removeFile: () => Promise.resolve(),
    });
    const run = await elevator.run([{ file: 'C:\\Users\\Public\\evil.exe', args: [] }]);
    expect(run.error).toMatch(/not a program a fix may run elevated/);
    expect(runner.started).toEqual([]);
  });

  it('shows a PowerShell command decoded, from the very spec that runs', () => {
    const spec: CommandSpec = {
      file: 'powershell',
      args: [
        '-NoProfile',
        '-EncodedCommand',
        Buffer.from('Restart-Service -Name WMServer\nexit 0', 'utf16le').toString('base64'),
      ],
    };
    expect(displayCommand(spec)).toBe(
      'powershell -NoProfile -Command "Restart-Service -Name WMServer; exit 0"',
    );
  });
});
