// The GitHub workflows cannot run here, so they are at least read by GitHub's own parser, and the steps that
// give them their point (what runs where, which files they call) are pinned.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  NoOperationTraceWriter,
  convertWorkflowTemplate,
  parseWorkflow,
  type WorkflowTemplate,
} from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const WORKFLOWS = ['ci.yml', 'windows.yml'] as const;

interface Parsed {
  errors: string[];
  template: WorkflowTemplate;
}

async function parse(name: string, content: string): Promise<Parsed> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((error) => error.message);
  const template = await convertWorkflowTemplate(result.context, result.value!);
  return { errors: [...errors, ...(template.errors ?? []).map((error) => error.Message)], template };
}

const read = (file: string): string => readFileSync(path.join(root, '.github', 'workflows', file), 'utf8');

/** Every step of every job as plain text: the `run` script or the `uses` reference. */
function stepTexts(template: WorkflowTemplate): string[] {
  return template.jobs.flatMap((job) =>
    'steps' in job
      ? job.steps.map((step) =>
          'run' in step ? step.run.toString() : 'uses' in step ? step.uses.toString() : '',
        )
      : [],
  );
}

describe('GitHub workflows', () => {
  it('the parser rejects a broken workflow (so a pass below means something)', async () => {
    const broken = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo\n';
    expect((await parse('broken.yml', broken)).errors).not.toEqual([]);
  });

  it.each(WORKFLOWS)('%s is valid for GitHub Actions', async (file) => {
    const { errors, template } = await parse(file, read(file));
    expect(errors).toEqual([]);
    expect(template.jobs.length).toBeGreaterThan(0);
  });

  it('Linux CI runs .ci/run, the same script every submission runs', async () => {
    const steps = stepTexts((await parse('ci.yml', read('ci.yml'))).template);
    expect(steps).toContain('bash .ci/run');
  });

  it('Windows CI runs the unit tests, the real-Electron suite, the live checks, and keeps the portable exe', async () => {
    const text = read('windows.yml');
    expect(text).toMatch(/runs-on: windows-latest/);
    const steps = stepTexts((await parse('windows.yml', text)).template);
    expect(steps).toEqual(
      expect.arrayContaining([
        'npm ci --no-audit --no-fund',
        'npx vitest run',
        'npx playwright test --project electron',
        'npm run dist:win',
      ]),
    );
    expect(steps.some((step) => step.startsWith('actions/upload-artifact@'))).toBe(true);
    expect(text).toMatch(/STREAM_DOCTOR_REQUIRE_ELECTRON: '1'/);
    expect(text).toMatch(/dist\/\*-portable\.exe/);
  });

  it('every script a workflow calls exists in the repository', async () => {
    for (const file of WORKFLOWS) {
      const steps = stepTexts((await parse(file, read(file))).template);
      const scripts = steps.flatMap((step) => [
        ...step.matchAll(/(?:tsx|bash|node) ((?:\.ci|electron)\/\S+)/g),
      ]);
      for (const match of scripts) expect(existsSync(path.join(root, match[1]!)), match[1]).toBe(true);
    }
  });
});
