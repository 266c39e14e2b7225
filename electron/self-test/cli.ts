// `stream-doctor self-test [--json]`: proves the tool works on this computer with its own loopback responders.
// Exit codes: 0 every probe understood its responder, 1 otherwise, 2 bad input.
import { runSelfTest, type SelfTestOptions, type SelfTestResult } from './run-self-test';

export interface SelfTestIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const SELF_TEST_EXIT = { passed: 0, failed: 1, badInput: 2 } as const;

export function formatSelfTest(result: SelfTestResult): string {
  const lines = ['Stream Doctor self-test (its own servers on 127.0.0.1; nothing leaves this computer)', ''];
  for (const step of result.steps)
    lines.push(`  [${step.passed ? 'PASS' : 'FAIL'}] ${step.title} — port ${step.port}: ${step.summary}`);
  if (result.steps.length > 0) lines.push('');
  lines.push(result.summary, '');
  return lines.join('\n');
}

export async function runSelfTestCli(
  args: string[],
  io: SelfTestIo,
  options: SelfTestOptions = {},
): Promise<number> {
  const unknown = args.filter((arg) => arg !== '--json');
  if (unknown.length > 0) {
    io.stderr(`unexpected argument ${unknown[0]!.slice(0, 40)}\nusage: stream-doctor self-test [--json]\n`);
    return SELF_TEST_EXIT.badInput;
  }
  const result = await runSelfTest(options);
  io.stdout(args.includes('--json') ? `${JSON.stringify(result, null, 2)}\n` : formatSelfTest(result));
  return result.passed ? SELF_TEST_EXIT.passed : SELF_TEST_EXIT.failed;
}
