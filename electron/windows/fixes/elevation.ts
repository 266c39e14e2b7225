// Running one fix action with administrator rights: one UAC prompt for that action, never an elevated app.
// The elevated PowerShell runs the action's commands in order, stops at the first failure, and writes each
// exit code and output to a result file (an elevated process's output cannot be piped back to us).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { encodePowerShell } from '../local';
import { resolveProgram, type CommandResult, type CommandRunner, type CommandSpec } from '../runner';

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

/** The script the elevated PowerShell runs: the commands (base64 JSON, so no quoting rule applies). */
export function innerScript(
  commands: readonly CommandSpec[],
  systemRoot: string,
  resultFile: string,
  continueOnError = false,
): string {
  const resolved = commands.map((command) => ({
    file: resolveProgram(command.file, systemRoot),
    args: command.args,
  }));
  const payload = Buffer.from(JSON.stringify(resolved), 'utf8').toString('base64');
  return [
    '$ErrorActionPreference = "Continue"',
    `$commands = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${payload}')) | ConvertFrom-Json`,
    '$results = @()',
    'foreach ($command in $commands) {',
    '  $output = & $command.file @($command.args) 2>&1 | Out-String',
    '  $results += @{ exitCode = $LASTEXITCODE; output = $output }',
    ...(continueOnError ? [] : ['  if ($LASTEXITCODE -ne 0) { break }']),
    '}',
    `ConvertTo-Json -InputObject @($results) -Depth 3 | Set-Content -LiteralPath '${resultFile}' -Encoding UTF8`,
  ].join('\n');
}

/** The non-elevated script that asks for elevation and waits; exit 1223 when the prompt is declined. */
export function outerScript(inner: string, systemRoot: string): string {
  const powershell = resolveProgram('powershell', systemRoot);
  return [
    'try {',
    `  $process = Start-Process -FilePath '${powershell}' -Verb RunAs -Wait -PassThru -WindowStyle Hidden -ArgumentList '-NoProfile','-NonInteractive','-EncodedCommand','${encodePowerShell(inner)}'`,
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
  readFile(file: string): Promise<Buffer>;
  removeFile(file: string): Promise<void>;
  systemRoot?: string;
}

export function createUacElevator(options: UacElevatorOptions): Elevator {
  const systemRoot = options.systemRoot ?? process.env.SystemRoot ?? 'C:\\Windows';
  return {
    async run(commands, runOptions = {}) {
      const resultFile = path.win32.join(options.workDir, `stream-doctor-fix-${randomUUID()}.json`);
      if (/['"`$]/.test(resultFile)) {
        return { declined: false, results: [], error: 'the work folder path holds quote or $ characters' };
      }
      const inner = innerScript(commands, systemRoot, resultFile, runOptions.continueOnError ?? false);
      const outer = outerScript(inner, systemRoot);
      const started = await options.runner.run(
        {
          file: 'powershell',
          args: ['-NoProfile', '-NonInteractive', '-EncodedCommand', encodePowerShell(outer)],
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
