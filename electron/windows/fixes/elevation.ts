// Running one fix action with administrator rights: one UAC prompt for that action, never an elevated app.
// The elevated PowerShell runs the action's commands in order, stops at the first failure, and writes each
// exit code and output to a result file (an elevated process's output cannot be piped back to us).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { encodePowerShell, powerShellTextLiteral } from '../command-line';
import {
  resolveProgram,
  type CommandResult,
  type CommandRunner,
  type CommandSpec,
  type WindowsProgram,
} from '../runner';

export interface ElevatedRun {
  /** The user answered "No" to the UAC prompt (ERROR_CANCELLED): nothing ran. */
  declined: boolean;
  /** One result per command that ran, in order; a run stops after the first failure. */
  results: CommandResult[];
  error: string | null;
}

export interface ElevatedOptions {
  /** Roll-backs run every command even after one fails; normal runs stop at the first failure. */
  continueOnError?: boolean;
}

export interface Elevator {
  run(commands: readonly CommandSpec[], options?: ElevatedOptions): Promise<ElevatedRun>;
}

/** ERROR_CANCELLED: "The operation was canceled by the user." — what a declined UAC prompt reports. */
export const ERROR_CANCELLED = 1223;

/** Program names the elevated script may start, relative to the system directory it finds itself. */
const ELEVATED_PROGRAMS: Partial<Record<WindowsProgram, string>> = {
  netsh: 'netsh.exe',
  sc: 'sc.exe',
  powershell: 'WindowsPowerShell\\v1.0\\powershell.exe',
};

/**
 * The script the elevated PowerShell runs. Everything it gets from us — program names, arguments, the result
 * file's path — arrives as one base64 JSON document decoded at run time, so no path or argument is ever
 * quoted into script text (a profile folder such as C:\Users\O'Brien or one with ’ ‘ quotes works as is).
 * Programs are found under [Environment]::SystemDirectory (GetSystemDirectoryW, not the environment).
 */
export function innerScript(
  commands: readonly CommandSpec[],
  resultFile: string,
  continueOnError = false,
): string {
  const data = {
    resultFile,
    commands: commands.map((command) => {
      const program = Object.hasOwn(ELEVATED_PROGRAMS, command.file)
        ? ELEVATED_PROGRAMS[command.file as WindowsProgram]
        : undefined;
      if (!program) throw new Error(`"${command.file}" is not a program a fix may run elevated`);
      return { program, args: command.args };
    }),
  };
  return [
    '$ErrorActionPreference = "Continue"',
    `$data = ${powerShellTextLiteral(JSON.stringify(data))} | ConvertFrom-Json`,
    '$system = [Environment]::SystemDirectory',
    '$results = @()',
    'foreach ($command in $data.commands) {',
    '  $file = Join-Path $system $command.program',
    '  $output = & $file @($command.args) 2>&1 | Out-String',
    '  $results += @{ exitCode = $LASTEXITCODE; output = $output }',
    ...(continueOnError ? [] : ['  if ($LASTEXITCODE -ne 0) { break }']),
    '}',
    'ConvertTo-Json -InputObject @($results) -Depth 3 | Set-Content -LiteralPath $data.resultFile -Encoding UTF8',
  ].join('\n');
}

/** The non-elevated script that asks for elevation and waits; exit 1223 when the prompt is declined. */
export function outerScript(inner: string): string {
  return [
    'try {',
    // The elevated PowerShell is the one in the system directory, found without the environment.
    "  $powershell = Join-Path ([Environment]::SystemDirectory) 'WindowsPowerShell\\v1.0\\powershell.exe'",
    `  $process = Start-Process -FilePath $powershell -Verb RunAs -Wait -PassThru -WindowStyle Hidden -ArgumentList '-NoProfile','-NonInteractive','-EncodedCommand','${encodePowerShell(inner)}'`,
    '  exit $process.ExitCode',
    '} catch {',
    '  $e = $_.Exception',
    `  while ($e) { if ($e -is [System.ComponentModel.Win32Exception] -and $e.NativeErrorCode -eq ${ERROR_CANCELLED}) { exit ${ERROR_CANCELLED} }; $e = $e.InnerException }`,
    '  exit 1',
    '}',
  ].join('\n');
}

export interface UacElevatorOptions {
  runner: CommandRunner;
  /** A folder the app owns (its user-data folder): the elevated process writes its results there. */
  workDir: string;
  /**
   * The Windows folder, from a source no user process controls (windows-directory.ts); never %SystemRoot%.
   * null: it could not be found safely, and nothing is elevated.
   */
  windowsDirectory: string | null;
  readFile(file: string): Promise<Buffer>;
  removeFile(file: string): Promise<void>;
}

export const NO_SAFE_WINDOWS_DIRECTORY =
  'the Windows folder could not be found safely, so nothing was run with administrator rights';

export function createUacElevator(options: UacElevatorOptions): Elevator {
  return {
    async run(commands, runOptions = {}) {
      const windowsDirectory = options.windowsDirectory;
      if (windowsDirectory === null)
        return { declined: false, results: [], error: NO_SAFE_WINDOWS_DIRECTORY };
      const resultFile = path.win32.join(options.workDir, `stream-doctor-fix-${randomUUID()}.json`);
      let inner: string;
      try {
        inner = innerScript(commands, resultFile, runOptions.continueOnError ?? false);
      } catch (error) {
        return {
          declined: false,
          results: [],
          error: error instanceof Error ? error.message : String(error),
        };
      }
      const started = await options.runner.run(
        {
          file: resolveProgram('powershell', windowsDirectory),
          args: ['-NoProfile', '-NonInteractive', '-EncodedCommand', encodePowerShell(outerScript(inner))],
        },
        // The user may take a while to answer the prompt.
        { timeoutMs: 10 * 60_000 },
      );
      if (started.exitCode === ERROR_CANCELLED) return { declined: true, results: [], error: null };
      let text: string;
      try {
        text = (await options.readFile(resultFile)).toString('utf8').replace(/^\uFEFF/, '');
      } catch {
        return {
          declined: false,
          results: [],
          error: `the elevated commands left no result (exit ${started.exitCode ?? '?'})`,
        };
      } finally {
        await options.removeFile(resultFile).catch(() => undefined);
      }
      return { declined: false, results: parseResults(text, commands), error: null };
    },
  };
}

function parseResults(text: string, commands: readonly CommandSpec[]): CommandResult[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.flatMap((item: unknown, i) => {
    const command = commands[i];
    if (!command || typeof item !== 'object' || item === null) return [];
    const { exitCode, output } = item as { exitCode?: unknown; output?: unknown };
    return [
      {
        file: command.file,
        args: [...command.args],
        exitCode: typeof exitCode === 'number' ? exitCode : null,
        stdout: Buffer.from(typeof output === 'string' ? output : '', 'utf8'),
        stderr: Buffer.alloc(0),
        timedOut: false,
        truncated: false,
        aborted: false,
        error: null,
        durationMs: 0,
      },
    ];
  });
}

/**
 * An elevator that runs the commands through a runner as they are: when the app already runs elevated,
 * and in tests with the replaying runner (`decline` plays a user saying "No" to the prompt).
 */
export function createRunnerElevator(runner: CommandRunner, behaviour: { decline?: boolean } = {}): Elevator {
  return {
    async run(commands, options = {}) {
      if (behaviour.decline) return { declined: true, results: [], error: null };
      const results: CommandResult[] = [];
      for (const command of commands) {
        const result = await runner.run(command);
        results.push(result);
        if (result.exitCode !== 0 && !options.continueOnError) break;
      }
      return { declined: false, results, error: null };
    },
  };
}
