// Speed of the netsh path on a big machine: a 5,000-rule `show rule name=all verbose` output built by
// repeating the real verbose samples (CRLF, as the console writes it), parsed and analysed end to end.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { analyseWindows, type WindowsSnapshot } from './checks';
import { inspectBytes, type InspectResult } from './inspect';
import { parseNetshProfiles } from './netsh-profiles';
import { parseNetshRules } from './netsh-rules';
import { withoutSourceLine } from './replay-runner';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const VERBOSE_SAMPLES = [
  'netsh-showrule-verbose-en-3.txt',
  'netsh-showrule-verbose-en-1.txt',
  'netsh-showrule-verbose-de-1.txt',
  'netsh-showrule-en-1.txt',
];

const sample = (name: string): string => withoutSourceLine(readFileSync(FIXTURES + name)).toString('utf8');

/** Real rule blocks repeated until `count` rules, joined like netsh output, ending with "Ok.". */
export function buildVerboseOutput(count: number): string {
  const blocks = VERBOSE_SAMPLES.flatMap((name) => {
    const text = sample(name).replace(/\r?\n/g, '\n');
    const lines = text.split('\n');
    const starts = lines.flatMap((line, i) => (/-{60,}\s*$/.test(line) && i > 0 ? [i - 1] : []));
    return starts.map((start, n) => {
      // The capture's own indentation (a markdown indent) is the separator line's leading blanks.
      const indent = /^\s*/.exec(lines[start + 1] ?? '')?.[0] ?? '';
      return lines
        .slice(start, starts[n + 1] ?? lines.length)
        .filter((line) => !/^\s*(Ok\.|OK\.?)\s*$/.test(line) && !/^PS .*>/.test(line))
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join('\n')
        .trim();
    });
  });
  const out: string[] = [''];
  for (let i = 0; i < count; i++) out.push(blocks[i % blocks.length] ?? '', '');
  out.push('Ok.', '');
  return out.join('\n').replace(/\n/g, '\r\n');
}

export function benchNetshParse(rounds: number): { medianMs: number; rules: number } {
  const text = buildVerboseOutput(5000);
  const profiles = parseNetshProfiles(sample('netsh-showprofile-all-en-chaps-win10-cmd.txt'));
  const once = (): number => {
    const parsed = parseNetshRules(text);
    const snapshot: WindowsSnapshot = {
      rules: { command: 'bench', value: parsed.rules, error: null },
      profiles: { command: 'bench', value: profiles, error: null },
    };
    analyseWindows(snapshot, { streamPort: 8080 });
    return parsed.rules.length;
  };
  // One untimed round first, so the median measures the parser and not the JIT warming up.
  let rules = once();
  const times: number[] = [];
  for (let round = 0; round < Math.max(1, rounds); round++) {
    const started = performance.now();
    rules = once();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)] ?? 0, rules };
}

/** The real Russian "no rules" answer, as netsh wrote it in cp866 (fixture netsh-msg-norules-ru-affory-cp866.txt). */
const russianNoRules = (): Buffer =>
  withoutSourceLine(readFileSync(FIXTURES + 'netsh-msg-norules-ru-affory-cp866.txt'));

/**
 * The saved files `inspect` is timed on: the 5,000 real rule blocks as a German console writes them (cp850,
 * umlauts in many lines), and as a Russian session log holding the listing and then netsh's real cp866
 * "no rules" answer. No code page is given: detection and the code-page guess are part of the time.
 */
export function inspectBenchFiles(count = 5000): { label: string; bytes: Buffer }[] {
  const text = buildVerboseOutput(count);
  const rules = count.toLocaleString('en');
  return [
    { label: `${rules} rules, cp850 (German console)`, bytes: iconv.encode(text, 'cp850') },
    {
      label: `${rules} rules + Russian answer, cp866`,
      bytes: Buffer.concat([
        iconv.encode(text, 'cp866'),
        Buffer.from('\r\n'),
        russianNoRules(),
        Buffer.from('\r\n'),
      ]),
    },
  ];
}

/** Median time of `inspect` (decode, detect, parse, analyse) per file, with what it found. */
export function benchInspect(
  rounds: number,
  count = 5000,
): { label: string; medianMs: number; megabytes: number; result: InspectResult }[] {
  return inspectBenchFiles(count).map(({ label, bytes }) => {
    let result = inspectBytes(bytes); // untimed: JIT warm-up
    const times: number[] = [];
    for (let round = 0; round < Math.max(1, rounds); round++) {
      const started = performance.now();
      result = inspectBytes(bytes);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return {
      label,
      medianMs: times[Math.floor(times.length / 2)] ?? 0,
      megabytes: bytes.length / 1048576,
      result,
    };
  });
}
