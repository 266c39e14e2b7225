// The end-to-end scenarios, each asserting what the person sees. Servers are real and local:
// the Windows Media RTSP simulator, Debian's nginx, a silent TCP server, and a filtered host in a network
// namespace made by the test; only the Windows command runner replays recorded real outputs.
import { readFile, writeFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { DiagnosisReport } from '../electron/diagnosis/types';
import { HELP_PAGES } from '../electron/ipc/security';
import { createWindowsPort } from '../electron/ipc/windows-adapter';
import type { WindowsPort } from '../electron/ipc/windows-port';
import { createRunnerElevator } from '../electron/windows/fixes/elevation';
import {
  BLOCKING_RULE_NAME,
  setRuleSpec,
  windowsClientRecordings,
} from '../electron/ipc/test-support/windows-recordings';
import { createFilteredHost } from '../electron/test-support/peers/netns';
import { startNginx, nginxUnavailable } from '../electron/test-support/peers/nginx';
import { parseStreamUrl } from '../electron/input/stream-url';
import { createReplayRunner, type ReplayRunner } from '../electron/windows/replay-runner';
import { startRtspServer } from '../electron/test-support/rtsp-server';
import { expect, needsHarness, screenshot, test } from './support/fixtures';
import { startSilentServer } from './support/silent-server';

/**
 * The Windows layer on a Windows 10 client replayed from real outputs. The elevator runs the commands through
 * the same replaying runner, as it does when the app already runs elevated: no UAC prompt in a test.
 */
async function replayedWindows(runner: ReplayRunner, journalFile: string): Promise<WindowsPort> {
  return createWindowsPort({
    runner,
    platform: 'win32',
    journalFile,
    elevator: createRunnerElevator(runner),
    verifyDelayMs: 0,
  });
}

/** The same view in the light and the dark scheme (`<name>.png`, `<name>-dark.png`). */
async function lightAndDark(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await screenshot(page, name, options);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`, options);
  await page.emulateMedia({ colorScheme: 'light' });
}

async function diagnose(page: Page, url: string, errorCode = ''): Promise<void> {
  await page.getByLabel('Stream address').fill(url);
  if (errorCode) await page.getByLabel('Error code or message (optional)').fill(errorCode);
  await page.getByRole('button', { name: 'Diagnose' }).click();
}

async function waitForVerdict(page: Page): Promise<void> {
  await expect(page.locator('#verdict-heading')).toBeVisible({ timeout: 20_000 });
}

/** axe-core on the current page; only serious and critical violations fail the test. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The checks as the wizard shows them: title and the spoken status. */
async function visibleChecks(page: Page): Promise<Array<{ title: string; status: string }>> {
  return page.locator('li.check').evaluateAll((items) =>
    items.map((item) => ({
      title: item.querySelector('.check-title')?.textContent ?? '',
      status: item.querySelector('.status-icon')?.getAttribute('aria-label') ?? '',
    })),
  );
}

test('1. an mms:// URL to an RTSP-only server: "use RTSP", the tested rtsp:// URL, Copy puts it on the clipboard', async ({
  openApp,
}) => {
  const rtsp = await startRtspServer();
  try {
    const app = await openApp();
    const { page } = app;
    await expect(page.getByRole('heading', { name: 'Why won’t the stream play?' })).toBeVisible();
    await lightAndDark(page, '01-start-screen');
    await diagnose(page, `mms://127.0.0.1:${rtsp.port}/live`, '0xC00D2EFA');
    await waitForVerdict(page);
    const expected = `rtsp://127.0.0.1:${rtsp.port}/live`;
    await expect(page.locator('.verdict-label')).toHaveText('A working address was found');
    await expect(page.locator('#verdict-heading')).toContainText(`Use ${expected}`);
    await expect(page.locator('.verdict-url code')).toHaveText(expected);
    await expect(page.locator('.error-meaning')).toContainText('0xC00D2EFA NS_E_MMS_NOT_SUPPORTED');
    const rtspCheck = page.locator('li.check', { hasText: 'The stream over RTSP' });
    await expect(rtspCheck.locator('.status-icon')).toHaveAttribute('aria-label', 'Pass');
    // The verdict first: every tier closed (nothing that matters to the working address failed), and the
    // simple tier's failed MMS and HTTP rows do not paint it red under a verdict that found RTSP working.
    for (const tier of ['Simple', 'Moderate', 'Advanced'])
      await expect(page.getByRole('button', { name: new RegExp(`^\\d?\\s*${tier}`) })).toHaveAttribute(
        'aria-expanded',
        'false',
      );
    const simple = page.locator('section.tier').first();
    await expect(simple).not.toHaveClass(/tier-bad/);
    await expect(simple.locator('.tier-status')).toContainText('2 not needed');
    await expect(
      page.locator('li.check', { hasText: 'The stream over MMS' }).locator('.check-not-needed'),
    ).toHaveText('Not needed for the working address');
    await expect(rtspCheck.locator('.check-not-needed')).toHaveCount(0);
    // Timings live in the details only; no command-line hints in the app.
    await expect(page.locator('.elapsed')).toHaveCount(0);
    await expect(page.locator('body')).not.toContainText('--known-good');
    await expect(page.locator('body')).not.toContainText(/command line/i);
    // Help for everyone first; the specification under "For IT staff".
    const help = page.getByRole('navigation', { name: 'Learn more' });
    await expect(help.getByRole('list', { name: 'Learn more' })).toContainText('Windows Media Player help');
    await expect(help.getByRole('list', { name: 'Learn more' })).not.toContainText('specification');
    await expect(help.getByRole('list', { name: 'For IT staff' })).toContainText('protocol specification');
    await lightAndDark(page, '03-verdict-use-rtsp');
    await page.getByRole('button', { name: 'Copy address' }).click();
    await expect(page.locator('.notice')).toHaveText('Address copied to the clipboard.');
    expect(await app.clipboardText()).toBe(expected);

    if (app.harness) {
      await page.getByRole('button', { name: 'Open in VLC' }).click();
      await expect(page.locator('.notice')).toHaveText(`Opening ${expected} in VLC media player…`);
      expect(app.harness.openedInPlayer).toEqual([['vlc', expected]]);
      await page.getByRole('button', { name: /Windows Media Player help/ }).click();
      await page.getByRole('button', { name: /How Windows Media streaming works/ }).click();
      await expect
        .poll(() => app.harness?.openedExternally)
        .toEqual([HELP_PAGES['wmp-help'], HELP_PAGES.protocols]);
    }
  } finally {
    await rtsp.close();
  }
});

test('start-up configuration from IT staff pre-fills the form and explains what it could not use', async ({
  openApp,
}, testInfo) => {
  const configFile = testInfo.outputPath('stream-doctor.json');
  await writeFile(
    configFile,
    JSON.stringify({ url: 'rtsp://127.0.0.1:8554/live', code: '0xC00D2EE8', expectIp: '127.0.0.1' }),
  );
  const app = await openApp({ argv: ['--config', configFile, '--tier', 'expert', '--code', 'banana'] });
  const { page } = app;
  await expect(page.getByLabel('Stream address')).toHaveValue('rtsp://127.0.0.1:8554/live');
  await expect(page.getByLabel('Error code or message (optional)')).toHaveValue('0xC00D2EE8');
  await expect(page.getByLabel('Expected server IP address (optional)')).toHaveValue('127.0.0.1');
  await expect(page.locator('.prefill-note')).toContainText(`--config ${configFile}`);
  const problems = page.getByRole('alert').filter({ hasText: 'Some start-up settings were not used' });
  await expect(problems).toContainText(
    'command line: tier: "expert" is not a tier; use simple, moderate or advanced.',
  );
  await expect(problems).toContainText('command line: code:');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, '12-start-prefilled');
  if (app.harness) expect(app.harness.engineRuns()).toBe(0);
});

test('2. a URL to nginx: "not a streaming server", naming nginx', async ({ openApp }) => {
  const unavailable = nginxUnavailable();
  test.skip(unavailable !== null, unavailable ?? '');
  const nginx = await startNginx();
  try {
    const { page } = await openApp();
    await diagnose(page, `http://127.0.0.1:${nginx.port}/live`, '0xC00D2EE8');
    await waitForVerdict(page);
    await expect(page.locator('.verdict-label')).toHaveText('Not a streaming server');
    await expect(page.locator('#verdict-heading')).toContainText('is an ordinary web server');
    await expect(page.locator('#verdict-heading')).toContainText(nginx.serverHeader);
    expect(nginx.serverHeader).toMatch(/^nginx\//);
    await expect(page.locator('.admin-note')).toContainText('Tell the server’s administrator');
    // Open where something that matters failed (what answers at the address); the rest waits closed.
    await expect(page.getByRole('button', { name: /Simple/ })).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByRole('button', { name: /Advanced/ })).toHaveAttribute('aria-expanded', 'false');
    await screenshot(page, '04-verdict-not-a-streaming-server');
  } finally {
    await nginx.close();
  }
});

test('3. a filtered host: "no answer"; the moderate tier shows the blocking rule from a real netsh sample; fix dialog, Apply, re-check, Undo', async ({
  openApp,
}, testInfo) => {
  const host = await createFilteredHost();
  if ('skipped' in host) {
    console.log(`[chromium] scenario 3 skipped: ${host.skipped}`);
    test.skip(true, host.skipped);
    return;
  }
  try {
    // The Windows layer reads a Windows 10 client from real recorded outputs (test-support/windows-recordings.ts).
    const runner = createReplayRunner(windowsClientRecordings());
    const windows = await replayedWindows(runner, testInfo.outputPath('fix-journal.json'));
    const app = await openApp({ windows });
    const { page } = app;
    await recordProgress(page);
    await diagnose(page, `mms://${host.address}/live`, '0xC00D2EFA');
    await waitForVerdict(page);
    // The Windows checks join the list mid-run: the bar still only moves forward, and ends full.
    const values = await recordedProgress(page);
    expect(values.length).toBeGreaterThan(1);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(values.at(-1)).toBe(100);
    await expect(page.locator('.verdict-label')).toHaveText('No answer');
    await expect(page.locator('#verdict-heading')).toContainText('Nothing answers on port');
    await expect(page.locator('.verdict-reason')).toContainText('got no answer at all');

    // The simple tier cannot explain a silent host: the moderate tier opened by itself.
    await expect(page.getByRole('button', { name: /Moderate/ })).toHaveAttribute('aria-expanded', 'true');
    const firewall = page.locator('li.check', { hasText: 'Firewall: Windows Media Player connecting out' });
    await expect(firewall.locator('.status-icon')).toHaveAttribute('aria-label', 'Warning');
    await expect(firewall.locator('.check-summary')).toContainText(
      `possibly blocked by "${BLOCKING_RULE_NAME}"`,
    );
    await firewall.getByRole('button', { name: /Firewall: Windows Media Player connecting out/ }).click();
    await expect(firewall.locator('.evidence')).toContainText(`"${BLOCKING_RULE_NAME}" out block enabled`);
    await screenshot(page, '09-verdict-ports-filtered');

    await page
      .getByRole('button', { name: `Review fix: Disable the outbound block rule "${BLOCKING_RULE_NAME}"` })
      .click();
    const dialog = page.getByRole('dialog', {
      name: `Disable the outbound block rule "${BLOCKING_RULE_NAME}"`,
    });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByText('Needs administrator.')).toBeVisible();
    await expect(dialog.getByLabel('Commands Apply runs')).toHaveText(
      `netsh advfirewall firewall set rule "name=${BLOCKING_RULE_NAME}" dir=out new enable=no`,
    );
    expect(runner.calls.filter((c) => c.args.includes('set'))).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await lightAndDark(page, '10-fix-dialog', { fullPage: false });

    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(dialog.locator('.fix-message')).toHaveText(/^Applied\. Done and verified: /);
    const row = dialog.getByRole('table', { name: /Firewall: Windows Media Player connecting out/ });
    await expect(row.getByRole('cell').nth(0).locator('.status-icon')).toHaveAttribute(
      'aria-label',
      'Warning',
    );
    await expect(row.getByRole('cell').nth(1).locator('.status-icon')).toHaveAttribute('aria-label', 'Pass');
    expect(runner.calls.filter((c) => c.args.includes('set'))).toEqual([setRuleSpec(false)]);
    await dialog.locator('.comparison').scrollIntoViewIfNeeded();
    await screenshot(page, '11-fix-applied', { fullPage: false });
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '11-fix-applied-dark', { fullPage: false });
    await page.emulateMedia({ colorScheme: 'light' });

    // Close, and come back later: Undo is still there.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    await expect(firewall.locator('.status-icon')).toHaveAttribute('aria-label', 'Pass');
    await page
      .getByRole('button', {
        name: `Applied: Disable the outbound block rule "${BLOCKING_RULE_NAME}" — review or undo`,
      })
      .click();
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Undo' }).click();
    await expect(dialog.locator('.fix-message')).toHaveText(/^Undone\. Undone and verified: /);
    await expect(row.getByRole('cell').nth(1).locator('.status-icon')).toHaveAttribute(
      'aria-label',
      'Warning',
    );
    expect(runner.calls.filter((c) => c.args.includes('set'))).toEqual([
      setRuleSpec(false),
      setRuleSpec(true),
    ]);
    expect(runner.unknown.filter((c) => c.args.includes('set'))).toEqual([]);

    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    await expect(firewall.locator('.status-icon')).toHaveAttribute('aria-label', 'Warning');
    await expect(
      page.getByRole('button', {
        name: `Review fix: Disable the outbound block rule "${BLOCKING_RULE_NAME}"`,
      }),
    ).toBeVisible();
  } finally {
    await host.close();
  }
});

test('a fix applied in an earlier session is listed on the start screen and undone from the journal', async ({
  openApp,
}, testInfo) => {
  const journalFile = testInfo.outputPath('fix-journal.json');
  // An earlier session applied the fix (same Windows layer, same journal) and the app was closed.
  const earlier = createReplayRunner(windowsClientRecordings());
  const before = await replayedWindows(earlier, journalFile);
  const stream = parseStreamUrl('mms://127.0.0.1/live');
  if (!stream.ok) throw new Error(stream.message);
  const [fix] = (await before.inspect(stream.value, new AbortController().signal)).fixes;
  expect((await before.apply(fix!)).ok).toBe(true);

  // A restarted app: its runner can only undo (no recording switches the rule off).
  const runner = createReplayRunner(
    windowsClientRecordings().filter(
      (r) => !r.args.includes('enable=no') && !r.source?.startsWith('derived'),
    ),
  );
  const { page } = await openApp({ windows: await replayedWindows(runner, journalFile) });
  const section = page.getByRole('region', { name: 'Changes Stream Doctor made on this computer' });
  await expect(section).toContainText(fix!.title);
  await section.getByText(/Commands Undo runs/).click();
  await expect(section.locator('pre')).toHaveText(fix!.undoCommands.join('\n'));
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, '13-start-applied-changes');
  await section.getByRole('button', { name: `Undo: ${fix!.title}` }).click();
  await expect(page.locator('.notice')).toHaveText(/^Undone\. Undone and verified: /);
  await expect(section).toBeHidden();
  expect(runner.calls.filter((c) => c.args.includes('set'))).toEqual([setRuleSpec(true)]);
});

test('4. Cancel in the middle of a run leaves no probe running and the UI calm', async ({ openApp }) => {
  const silent = await startSilentServer();
  try {
    // IT staff's start-up options: a long probe timeout keeps the run busy until we cancel.
    const app = await openApp({ argv: ['--timeout', '20000', '--tier', 'moderate'] });
    const { page } = app;
    await diagnose(page, `mms://127.0.0.1:${silent.port}/live`);
    await expect(page.getByRole('progressbar', { name: 'Checks finished' })).toBeVisible();
    await expect(page.locator('li.check .status-running').first()).toBeVisible();
    await expect.poll(() => silent.openConnections(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await expect(page.locator('.elapsed').first()).toHaveText(/\d\.\d s/);
    await lightAndDark(page, '02-running-wizard');

    const started = Date.now();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByText('Cancelled. Nothing is running any more.')).toBeVisible();
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect.poll(() => silent.openConnections(), { timeout: 3_000 }).toBe(0);
    if (app.harness) expect(app.harness.table.activeRuns()).toBe(0);
    const connectionsAfterCancel = silent.totalConnections();
    await page.waitForTimeout(500);
    expect(silent.totalConnections()).toBe(connectionsAfterCancel);

    // Calm: no spinner, no error, no verdict pretending to know; the way forward is one button.
    await expect(page.locator('.status-running')).toHaveCount(0);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.locator('#verdict-heading')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'You stopped the diagnosis' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'New diagnosis' })).toBeEnabled();
    // Its sentences agree with its rows: nothing stopped by Cancel claims "no server answered", and a port
    // that had answered before Cancel still says so.
    await expect(page.locator('body')).not.toContainText('No server answered');
    for (const row of await page.locator('li.check', { hasText: 'Open: ' }).all())
      await expect(row.locator('.status-icon')).toHaveAttribute('aria-label', 'Pass');
    const stopped = page.locator('li.check:has(.status-cancelled) .check-summary');
    expect(await stopped.count()).toBeGreaterThan(0);
    for (const summary of await stopped.all())
      await expect(summary).toHaveText('Stopped before it finished, because you cancelled the diagnosis.');
    await screenshot(page, '05-cancelled');
  } finally {
    await silent.close();
  }
});

test('5. report export writes HTML and JSON whose contents match the run', async ({ openApp }) => {
  const rtsp = await startRtspServer();
  try {
    const app = await openApp();
    const harness = needsHarness(app);
    const { page } = app;
    const url = `mms://127.0.0.1:${rtsp.port}/live`;
    await diagnose(page, url);
    await waitForVerdict(page);
    const shownVerdict = (await page.locator('#verdict-heading').textContent()) ?? '';
    const shownChecks = await visibleChecks(page);

    await page.getByRole('button', { name: 'Save report (HTML)' }).click();
    await expect(page.locator('.notice')).toContainText('HTML report saved to');
    // The confirmation never covers the buttons next to the one pressed (nor any other), even with those
    // buttons at the very bottom of the window.
    await page.evaluate(
      `document.querySelector('.report-actions .button-row').scrollIntoView({ block: 'end' })`,
    );
    await expect(page.locator('.notice')).toBeVisible();
    expect(await controlsCoveredByNotice(page)).toEqual([]);
    await screenshot(page, '14-notice-after-save', { fullPage: false });
    await page.getByRole('button', { name: 'Save data (JSON)' }).click();
    await expect(page.locator('.notice')).toContainText('JSON report saved to');
    expect(harness.saved).toHaveLength(2);
    const [htmlFile, jsonFile] = harness.saved as [string, string];
    expect(htmlFile).toMatch(/stream-doctor-127\.0\.0\.1-.*\.html$/);

    const report = JSON.parse(await readFile(jsonFile, 'utf8')) as DiagnosisReport;
    expect(report.schemaVersion).toBe(1);
    expect(report.input.url).toBe(url);
    expect(report.verdict.code).toBe('use-rtsp');
    expect(report.verdict.summary).toBe(shownVerdict);
    expect(report.verdict.suggestedUrl).toBe(`rtsp://127.0.0.1:${rtsp.port}/live`);
    const statusWord: Record<string, string> = {
      pass: 'Pass',
      warn: 'Warning',
      fail: 'Fail',
      skip: 'Skipped',
      error: 'Error',
    };
    expect(report.checks.map((c) => ({ title: c.title, status: statusWord[c.status] }))).toEqual(shownChecks);

    const html = await readFile(htmlFile, 'utf8');
    expect(html).toContain(`Verdict: ${shownVerdict}`);
    for (const check of report.checks) expect(html).toContain(check.title.replace(/&/g, '&amp;'));
    expect(html.match(/<li class="check /g)).toHaveLength(report.checks.length);
    expect(html).not.toMatch(/<script/i);

    await page.getByRole('button', { name: 'Copy summary for a ticket' }).click();
    await expect(page.locator('.notice')).toContainText('Summary copied');
    const summary = (await app.clipboardText()) ?? '';
    expect(summary).toContain(`Verdict (use-rtsp): ${shownVerdict}`);
    expect(summary).toContain(url);
  } finally {
    await rtsp.close();
  }
});

test('6. the whole flow by keyboard alone, and axe finds nothing serious', async ({ openApp }) => {
  // A long flow with four axe passes: on a shared two-core machine it can run close to the default bound.
  test.slow();
  const rtsp = await startRtspServer();
  try {
    const app = await openApp();
    const { page } = app;
    const url = page.getByLabel('Stream address');
    await expect(url).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);

    await page.keyboard.type(`mms://127.0.0.1:${rtsp.port}/live`);
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Error code or message (optional)')).toBeFocused();
    await page.keyboard.type('NS_E_MMS_NOT_SUPPORTED');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'More options' })).toBeFocused();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Expected server IP address (optional)')).toBeFocused();
    await page.keyboard.type('127.0.0.1');
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('A stream known to work (optional)')).toBeFocused();
    // More options ends with the self-test's controls; Diagnose comes right after them.
    await tabUntilFocused(page, page.getByRole('button', { name: 'Diagnose' }));
    await page.keyboard.press('Enter');

    await waitForVerdict(page);
    // The answer takes the focus, so a screen reader reads it at once.
    await expect(page.locator('#verdict-heading')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Copy address' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('.notice')).toHaveText('Address copied to the clipboard.');
    expect(await app.clipboardText()).toBe(`rtsp://127.0.0.1:${rtsp.port}/live`);

    const moderate = page.getByRole('button', { name: /Moderate/ });
    await tabUntilFocused(page, moderate);
    await expect(moderate).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('Enter');
    await expect(moderate).toHaveAttribute('aria-expanded', 'true');
    const dnsExpected = page.getByRole('button', { name: 'The name points at the expected address' });
    await tabUntilFocused(page, dnsExpected);
    await page.keyboard.press('Enter');
    await expect(dnsExpected).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Copy command' }).first()).toBeFocused();
    await page.keyboard.press('Enter');
    await expect.poll(() => app.clipboardText()).toContain('127.0.0.1');
    expect(await seriousViolations(page)).toEqual([]);

    await tabUntilFocused(page, page.getByRole('button', { name: 'Save data (JSON)' }));
    await page.keyboard.press('Enter');
    await expect(page.locator('.notice')).toContainText('JSON report saved to');

    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '06-verdict-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.keyboard.press('Shift+Tab');
    await tabUntilFocused(page, page.getByRole('button', { name: 'New diagnosis' }), 'Shift+Tab');
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('Stream address')).toBeFocused();
    await expect(page.getByRole('button', { name: `Use mms://127.0.0.1:${rtsp.port}/live` })).toBeVisible();
  } finally {
    await rtsp.close();
  }
});

test('7. bad input is explained at the field and nothing runs', async ({ openApp }) => {
  const app = await openApp();
  const { page } = app;
  const field = page.getByLabel('Stream address');
  const cases: Array<[string, RegExp]> = [
    ['mms://', /host|server|name/i],
    ['rtsp://[::1', /IPv6|bracket|\]/i],
    ['x'.repeat(5 * 1024), /5,120 characters long/],
  ];
  for (const [input, explanation] of cases) {
    await field.fill(input);
    await page.getByRole('button', { name: 'Diagnose' }).click();
    const error = page.locator('#stream-url-error');
    await expect(error).toBeVisible();
    await expect(error).toHaveText(explanation);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toBeFocused();
    if (input === 'mms://') await screenshot(page, '07-bad-input');
  }
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  if (app.harness) {
    expect(app.harness.engineRuns()).toBe(0);
    expect(app.harness.table.activeRuns()).toBe(0);
  }
  // Typing again clears the complaint.
  await field.fill('mms://127.0.0.1/live');
  await expect(page.locator('#stream-url-error')).toHaveCount(0);
});

test('readable at 200 % zoom: one column, nothing cut off', async ({ openApp }) => {
  const rtsp = await startRtspServer();
  try {
    const { page } = await openApp();
    // The 1120×800 window at 200 % zoom is a 560 CSS-pixel-wide viewport.
    await page.setViewportSize({ width: 560, height: 800 });
    await diagnose(page, `mms://127.0.0.1:${rtsp.port}/live`);
    await waitForVerdict(page);
    const overflow = await page.locator('html').evaluate((html) => html.scrollWidth - html.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, '08-zoom-200');
  } finally {
    await rtsp.close();
  }
});

// Page-side helpers run as script text: this project's type-check has no DOM library (main and the engine
// must not use it), and these only read the page.

/** Starts recording every value the progress bar takes (call before Diagnose). */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const values = [];
    window.progressValues = values;
    const read = () => {
      const bar = document.querySelector('[role="progressbar"]');
      const value = bar ? Number(bar.getAttribute('aria-valuenow')) : NaN;
      if (!Number.isNaN(value) && values.at(-1) !== value) values.push(value);
    };
    new MutationObserver(read).observe(document.body, {
      subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'],
    });
  })()`);
}

async function recordedProgress(page: Page): Promise<number[]> {
  return (await page.evaluate('window.progressValues')) as number[];
}

/**
 * Which controls the notice hides: each button, link and field in the window must be the element found at
 * its own centre, and no control's box may cross the notice's.
 */
async function controlsCoveredByNotice(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const notice = document.querySelector('.notice');
    if (!notice) return ['no notice on screen'];
    const n = notice.getBoundingClientRect();
    const covered = [];
    const main = document.querySelector('main');
    const view = main ? main.getBoundingClientRect() : { top: 0, bottom: window.innerHeight };
    for (const control of document.querySelectorAll('button, a[href], input, summary')) {
      const box = control.getBoundingClientRect();
      // What the person sees of a control in the scrolling page is what is inside the page's own box.
      const inPage = main && main.contains(control);
      const r = {
        left: box.left, right: box.right, width: box.width, height: box.height,
        top: inPage ? Math.max(box.top, view.top) : box.top,
        bottom: inPage ? Math.min(box.bottom, view.bottom) : box.bottom,
      };
      if (r.bottom <= r.top) continue;
      if (r.width === 0 || r.height === 0) continue;
      if (r.bottom <= 0 || r.top >= window.innerHeight) continue;
      const crosses = r.left < n.right && r.right > n.left && r.top < n.bottom && r.bottom > n.top;
      const x = r.left + r.width / 2;
      const y = Math.min((r.top + r.bottom) / 2, window.innerHeight - 1);
      const top = document.elementFromPoint(x, y);
      if (crosses || (top && !control.contains(top) && notice.contains(top)))
        covered.push((control.textContent || '').trim() || control.outerHTML.slice(0, 60));
    }
    return covered;
  })()`)) as string[];
}

test.describe('at 200 % (the 1120×800 window zoomed: 560×400 CSS pixels, two device pixels each)', () => {
  test.use({ viewport: { width: 560, height: 400 }, deviceScaleFactor: 2 });

  test('start screen, live run, verdict and fix dialog, light and dark, with nothing cut off', async ({
    openApp,
  }, testInfo) => {
    test.slow(); // three runs and eight screenshots
    const silent = await startSilentServer();
    const rtsp = await startRtspServer();
    try {
      const runner = createReplayRunner(windowsClientRecordings());
      const windows = await replayedWindows(runner, testInfo.outputPath('fix-journal.json'));
      // A long probe bound keeps the silent server's run going while it is photographed.
      const { page } = await openApp({ windows, argv: ['--timeout', '20000'] });
      const noSideways = async (): Promise<void> =>
        expect(
          Number(await page.evaluate('document.documentElement.scrollWidth - innerWidth')),
        ).toBeLessThanOrEqual(0);
      await expect(page.getByRole('heading', { name: 'Why won’t the stream play?' })).toBeVisible();
      await noSideways();
      await lightAndDark(page, 'zoom200-01-start-screen');

      await diagnose(page, `mms://127.0.0.1:${silent.port}/live`);
      await expect(page.locator('li.check .status-running').first()).toBeVisible();
      await noSideways();
      await lightAndDark(page, 'zoom200-02-running-wizard', { fullPage: false });
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'New diagnosis' }).click();

      await diagnose(page, `mms://127.0.0.1:${rtsp.port}/live`);
      await waitForVerdict(page);
      await noSideways();
      await lightAndDark(page, 'zoom200-03-verdict-use-rtsp');

      // The standard ports on this machine are closed; the replayed Windows 10 client has a blocking rule
      // for them, so this run offers its fix.
      await page.getByRole('button', { name: 'New diagnosis' }).click();
      await diagnose(page, 'mms://127.0.0.1/live');
      await waitForVerdict(page);
      await page.getByRole('button', { name: /^Review fix:/ }).click();
      const dialog = page.getByRole('dialog');
      await expect(dialog).toBeVisible();
      await lightAndDark(page, 'zoom200-10-fix-dialog', { fullPage: false });
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await rtsp.close();
      await silent.close();
    }
  });
});

async function tabUntilFocused(
  page: Page,
  target: ReturnType<Page['locator']>,
  key: 'Tab' | 'Shift+Tab' = 'Tab',
): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
    await page.keyboard.press(key);
  }
  throw new Error('could not reach the element with the keyboard');
}
