// The layering rules of eslint.config.mjs, proved on imports that break them (and on ones that must stay allowed):
// a rule that silently matched nothing would let the layers drift again.
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The messages of no-restricted-imports for one import line in a file at `file`. */
async function restricted(file: string, importLine: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${importLine}\nexport const used = value;\n`, {
    filePath: path.join(ROOT, file),
  });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layers, as ESLint enforces them', () => {
  it.each([
    ['electron/probes/rtsp.ts', "import { value } from '../diagnosis/verdict';", /Probes only talk/],
    ['electron/probes/rtsp.ts', "import { value } from '../engine/run-diagnosis';", /Probes only talk/],
    ['electron/probes/rtsp.ts', "import { value } from '../ipc/contract';", /Probes only talk/],
    ['electron/diagnosis/checks.ts', "import { value } from '../engine/follow';", /diagnosis is pure/],
    ['electron/diagnosis/checks.ts', "import { value } from '../windows/fixes/apply';", /diagnosis is pure/],
    ['electron/engine/full-run.ts', "import { value } from '../ipc/windows-port';", /never imports ipc/],
    ['electron/windows/fixes/apply.ts', "import { value } from '../../ipc/windows-port';", /Windows layer/],
    ['electron/common/report.ts', "import { value } from '../probes/types';", /dependency-free/],
    ['electron/common/report.ts', "import { value } from 'node:net';", /dependency-free/],
    ['renderer/src/store.ts', "import { value } from '../../electron/engine/full-run';", /only the shared/],
    [
      'renderer/src/components/App.tsx',
      "import { value } from '../../../electron/probes/types';",
      /only the shared/,
    ],
    ['electron/engine/full-run.ts', "import { value } from 'electron';", /Only main\.ts/],
    ['electron/windows/runner.ts', "import { exec as value } from 'node:child_process';", /No shell strings/],
    ['renderer/src/store.test.ts', "import { value } from 'electron';", /window\.streamDoctor/],
  ])('%s may not: %s', async (file, line, message) => {
    const messages = await restricted(file, line);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it.each([
    ['electron/probes/rtsp.ts', "import { value } from '../common/server-text';"],
    ['electron/diagnosis/checks.ts', "import { value } from '../probes/types';"],
    ['electron/engine/full-run.ts', "import { value } from '../windows/checks';"],
    ['electron/common/report.ts', "import { value } from './target';"],
    ['electron/common/server-text.test.ts', "import { value } from 'vitest';"],
    ['renderer/src/store.ts', "import { value } from '../../electron/ipc/contract';"],
    ['renderer/src/components/App.tsx', "import { value } from '../../../electron/common/still-waiting';"],
    ['electron/ipc/handlers.ts', "import { value } from 'electron';"],
    // Tests may reach across the layers to check how they fit together.
    ['electron/engine/follow-report.test.ts', "import { value } from '../ipc/report-formats';"],
    [
      'renderer/src/store.test.ts',
      "import { value } from '../../electron/bundle/test-support/sample-report';",
    ],
  ])('%s may: %s', async (file, line) => {
    expect(await restricted(file, line)).toEqual([]);
  });
});
