// The support bundle round trip, in Chromium with the real handler table: a run on the "remote" side is saved
// as a bundle, then opened on the "IT" side through the open dialog's test hook, and shown read-only with
// whose machine and when. Also: a tampered bundle is flagged, a hostile one stays text, a newer schema is
// refused, and the self-test passes. The stream is the app's own RTSP responder on 127.0.0.1.
import { readFile, writeFile } from 'node:fs/promises';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { BUNDLE_FILES, type BundleManifest } from '../electron/bundle/types';
import { SELF_TEST_PATH, startRtspResponder, type Responder } from '../electron/self-test/responders';
import { HARNESS_COMPUTER_NAME } from './support/harness';
import { expect, needsHarness, screenshot, test } from './support/fixtures';

let rtsp: Responder;
test.beforeAll(async () => {
  rtsp = await startRtspResponder();
});
test.afterAll(async () => {
  await rtsp.close();
});

async function diagnoseAndSaveBundle(page: Page): Promise<void> {
  await page.getByLabel('Stream address').fill(`mms://127.0.0.1:${rtsp.port}${SELF_TEST_PATH}`);
  await page.getByLabel('Error code or message (optional)').fill('0xC00D2EFA');
  await page.getByRole('button', { name: 'Diagnose' }).click();
  await expect(page.locator('#verdict-heading')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Save a support bundle' }).click();
  await expect(page.getByText(/^Saved to /)).toBeVisible();
}

test('a saved support bundle opens read-only on the IT side: whose machine, when, the same run, the facts', async ({
  openApp,
}) => {
  const app = await openApp();
  const harness = needsHarness(app);
  const { page } = app;
  await diagnoseAndSaveBundle(page);
  const verdict = await page.locator('#verdict-heading').textContent();
  expect(harness.savedBundles).toHaveLength(1);
  const file = harness.savedBundles[0]!;
  await expect(page.locator('.support-bundle-saved code')).toHaveText(file);
  await page.getByRole('button', { name: 'Show in folder' }).click();
  await expect.poll(() => harness.shownInFolder).toEqual([file]);
  await screenshot(page, 'bundle-01-saved');

  await page.getByRole('button', { name: 'New diagnosis' }).click();
  harness.chooseFile(file);
  await page.getByRole('button', { name: 'Open a report or bundle' }).click();
  await expect(
    page.getByRole('heading', { name: new RegExp(`^Support bundle from ${HARNESS_COMPUTER_NAME}, made `) }),
  ).toBeVisible();
  await expect(page.locator('#verdict-heading')).toHaveText(verdict ?? '');
  await expect(page.getByText(/Read-only: this is the run as it happened/)).toBeVisible();
  await expect(page.locator('.opened-banner q')).toHaveText('0xC00D2EFA');
  // Read-only: nothing to re-run, export, fix or save again; "Close" instead of "New diagnosis".
  await expect(page.getByRole('button', { name: 'Close' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New diagnosis' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save a support bundle' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Save report/ })).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  // The remote computer's facts, from the recorded outputs of a Windows 10 client.
  await expect(page.getByRole('heading', { name: 'That computer' })).toBeVisible();
  await expect(page.getByText(/^Windows edition and build — read$/)).toBeVisible();
  await expect(page.locator('.system-facts pre').filter({ hasText: /Windows 10 .*build/ })).toHaveCount(1);
  await screenshot(page, 'bundle-02-opened');

  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('heading', { name: 'Why won’t the stream play?' })).toBeVisible();
});

test('a tampered bundle is shown with a warning naming the file; hostile text stays text', async ({
  openApp,
}) => {
  const app = await openApp();
  const harness = needsHarness(app);
  const { page } = app;
  await diagnoseAndSaveBundle(page);
  const file = harness.savedBundles[0]!;
  const files = unzipSync(await readFile(file));
  const report = JSON.parse(strFromU8(files[BUNDLE_FILES.reportJson]!)) as {
    verdict: { summary: string };
  };
  report.verdict.summary = 'All fine <img src=x onerror="document.title=\'owned\'">\u001b[31m';
  files[BUNDLE_FILES.reportJson] = strToU8(JSON.stringify(report));
  const tampered = file.replace(/\.zip$/, '-tampered.zip');
  await writeFile(tampered, zipSync(files));

  await page.getByRole('button', { name: 'New diagnosis' }).click();
  harness.chooseFile(tampered);
  await page.getByRole('button', { name: 'Open a report or bundle' }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'Check this bundle with care' });
  await expect(warning).toContainText('report.json does not match the SHA-256 in the manifest');
  await expect(page.locator('#verdict-heading')).toHaveText(
    'All fine <img src=x onerror="document.title=\'owned\'">[31m',
  );
  await expect(page.locator('.verdict img')).toHaveCount(0);
  expect(await page.title()).not.toBe('owned');
  await screenshot(page, 'bundle-03-tampered');
});

test('a bundle from a newer Stream Doctor is refused with a clear message', async ({ openApp }) => {
  const app = await openApp();
  const harness = needsHarness(app);
  const { page } = app;
  await diagnoseAndSaveBundle(page);
  const file = harness.savedBundles[0]!;
  const files = unzipSync(await readFile(file));
  const manifest = JSON.parse(strFromU8(files[BUNDLE_FILES.manifest]!)) as BundleManifest;
  files[BUNDLE_FILES.manifest] = strToU8(JSON.stringify({ ...manifest, schemaVersion: 2 }));
  const newer = file.replace(/\.zip$/, '-newer.zip');
  await writeFile(newer, zipSync(files));

  await page.getByRole('button', { name: 'New diagnosis' }).click();
  harness.chooseFile(newer);
  await page.getByRole('button', { name: 'Open a report or bundle' }).click();
  await expect(page.getByText(/was made by a newer Stream Doctor \(bundle schema 2\)/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Why won’t the stream play?' })).toBeVisible();
  // Closing the dialog does nothing at all.
  harness.chooseFile(null);
  await page.getByRole('button', { name: 'Open a report or bundle' }).click();
  await expect(page.getByRole('heading', { name: 'Why won’t the stream play?' })).toBeVisible();
});

test('the self-test under More options passes here', async ({ openApp }) => {
  const app = await openApp();
  needsHarness(app);
  const { page } = app;
  await page.getByRole('button', { name: 'More options' }).click();
  await page.getByRole('button', { name: 'Test Stream Doctor on this computer' }).click();
  await expect(page.getByText('Self-test passed.')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.self-test-result li')).toHaveText([
    /^Pass — MMS/,
    /^Pass — Windows Media HTTP/,
    /^Pass — RTSP/,
  ]);
  await screenshot(page, 'bundle-04-self-test');
});
