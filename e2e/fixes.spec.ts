// The safe-fix scenarios, asserting what the person sees: a tampered fix journal on the start screen (only
// the catalogue's own action is offered, shown exactly; the rest is listed as unreadable), an Undo that runs
// once however often it is clicked, and the fix dialog on a small window: title and buttons in view after
// Apply, and "does the stream play now?" answered by diagnosing the same address again.
import { writeFile } from 'node:fs/promises';
import { createWindowsPort } from '../electron/ipc/windows-adapter';
import type { WindowsPort } from '../electron/ipc/windows-port';
import {
  BLOCKING_RULE_NAME,
  setRuleSpec,
  windowsClientRecordings,
} from '../electron/ipc/test-support/windows-recordings';
import { startRtspServer } from '../electron/test-support/rtsp-server';
import { createRunnerElevator } from '../electron/windows/fixes/elevation';
import { createReplayRunner, type ReplayRunner } from '../electron/windows/replay-runner';
import { expect, test } from './support/fixtures';

/** The Windows layer on a Windows 10 client replayed from real outputs; no UAC prompt in a test. */
function replayedWindows(runner: ReplayRunner, journalFile: string): WindowsPort {
  return createWindowsPort({
    runner,
    platform: 'win32',
    journalFile,
    elevator: createRunnerElevator(runner),
    verifyDelayMs: 0,
  });
}

const TITLE = `Disable the outbound block rule "${BLOCKING_RULE_NAME}"`;
const UNDO_SHOWN = `netsh advfirewall firewall set rule "name=${BLOCKING_RULE_NAME}" dir=out new enable=yes`;

test('a tampered journal: only the catalogue’s action is offered, shown exactly, and a double click undoes once', async ({
  openApp,
}, testInfo) => {
  const journalFile = testInfo.outputPath('fix-journal.json');
  const at = '2026-01-02T03:04:05.000Z';
  const facts = { fixId: 'disable-blocking-rule', ruleName: BLOCKING_RULE_NAME, direction: 'out', count: 2 };
  await writeFile(
    journalFile,
    JSON.stringify({
      format: 'stream-doctor-fix-journal',
      version: 2,
      entries: [
        // Someone added a program to run, dressed up as the harmless line.
        {
          id: '0b5c4a1e-1111-4222-8333-444455556666',
          facts,
          state: 'applied',
          recordedAt: at,
          updatedAt: at,
          undo: [{ spec: { file: 'C:\\Users\\Public\\evil.exe', args: [] }, display: UNDO_SHOWN }],
        },
        {
          id: '1b5c4a1e-1111-4222-8333-444455556666',
          facts,
          state: 'applied',
          recordedAt: at,
          updatedAt: at,
        },
      ],
    }),
  );
  // A client whose rule is off (the earlier fix); it can switch it back on and read it on.
  const runner = createReplayRunner(
    windowsClientRecordings().filter(
      (r) => !r.args.includes('enable=no') && !r.source?.startsWith('derived'),
    ),
  );
  const { page } = await openApp({ windows: replayedWindows(runner, journalFile) });
  const section = page.getByRole('region', { name: 'Changes Stream Doctor made on this computer' });
  await expect(section.locator('li')).toHaveCount(2);
  const unreadable = section.locator('li.applied-unreadable');
  await expect(unreadable).toContainText(
    'Unreadable — not offered for undo: entry must NOT have additional properties "undo"',
  );
  await expect(unreadable.getByRole('button')).toHaveCount(0);
  const good = section.locator('li.applied-applied');
  await expect(good).toContainText(TITLE);
  await good.getByText(/Commands Undo runs/).click();
  await expect(good.locator('pre')).toHaveText(UNDO_SHOWN);

  await good.getByRole('button', { name: `Undo: ${TITLE}` }).dblclick();
  await expect(page.locator('.notice')).toHaveText(/^Undone\. Undone and verified: /);
  await expect(section.locator('li.applied-applied')).toHaveCount(0);
  expect(runner.calls.filter((c) => c.args.includes('set'))).toEqual([setRuleSpec(true)]);
  expect(runner.calls.filter((c) => /evil/i.test(c.file))).toEqual([]);
});

test('the fix dialog on a small window: title and buttons in view after Apply, and "does the stream play now?"', async ({
  openApp,
}, testInfo) => {
  const rtsp = await startRtspServer();
  try {
    const runner = createReplayRunner(windowsClientRecordings());
    const { page } = await openApp({
      windows: replayedWindows(runner, testInfo.outputPath('fix-journal.json')),
    });
    await page.setViewportSize({ width: 720, height: 520 });
    await page.getByLabel('Stream address').fill(`mms://127.0.0.1:${rtsp.port}/live`);
    await page.getByRole('button', { name: 'Diagnose' }).click();
    await expect(page.locator('#verdict-heading')).toBeVisible({ timeout: 20_000 });

    // The rule only MAY stop Windows Media Player: the fix is offered, never as the primary action.
    const review = page.getByRole('button', { name: `Review fix: ${TITLE}` });
    await expect(review).not.toHaveClass(/primary/);
    await expect(review.locator('.admin-shield')).toHaveCount(1);
    await review.click();
    const dialog = page.getByRole('dialog', { name: TITLE });
    await expect(dialog.locator('.fix-doubt')).toContainText('This may not be the cause.');
    const apply = dialog.getByRole('button', { name: 'Apply (needs administrator)' });
    await expect(apply).not.toHaveClass(/primary/);
    await expect(apply.locator('.admin-shield')).toHaveCount(1);

    await apply.click();
    await expect(dialog.locator('.fix-message')).toHaveText(/^Applied\. Done and verified: /);
    // After Apply: the title and the buttons are still on screen, the outcome too.
    await expect(dialog.locator('#fix-title')).toBeInViewport();
    await expect(dialog.getByRole('button', { name: 'Undo (needs administrator)' })).toBeInViewport();
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeInViewport();
    await expect(dialog.locator('.fix-message')).toBeInViewport();

    const answer = dialog.locator('.fix-recheck');
    await expect(answer).toContainText('Yes — the stream can play now.', { timeout: 20_000 });
    await expect(answer).toContainText(
      `Checked by running the whole diagnosis again for mms://127.0.0.1:${rtsp.port}/live, with the same options.`,
    );
    await expect(dialog.locator('#fix-title')).toBeInViewport();
    expect(runner.calls.filter((c) => c.args.includes('set'))).toEqual([setRuleSpec(false)]);
  } finally {
    await rtsp.close();
  }
});
