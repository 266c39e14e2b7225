// `openApp` gives a spec the app under test. In the `chromium` project: the built renderer in Debian's
// Chromium with the real handler table behind the preload (harness.ts). In the `electron` project: the real
// app through Playwright's _electron, where an Electron binary exists; here it does not, so those runs are
// skipped with the reason printed.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { _electron, test as base, type Page } from '@playwright/test';
import type { PlayerId } from '../../electron/ipc/contract';
import type { WindowsPort } from '../../electron/ipc/windows-port';
import { electronBinary, electronUnavailable } from './electron-binary';
import { installApp, type Harness } from './harness';

export const SCREENSHOT_DIR = path.resolve(__dirname, '..', 'screenshots');

export interface OpenAppOptions {
  argv?: string[];
  /** The replaying Windows layer; only the browser harness can put one behind the handlers. */
  windows?: WindowsPort;
  players?: Record<PlayerId, boolean>;
}

export interface AppUnderTest {
  mode: 'browser' | 'electron';
  page: Page;
  /** The recording harness (browser mode); null under _electron, where the app's own services run. */
  harness: Harness | null;
  /** What the app last put on the clipboard. */
  clipboardText(): Promise<string | null>;
}

type Fixtures = { openApp: (options?: OpenAppOptions) => Promise<AppUnderTest> };
type Options = { appMode: 'browser' | 'electron' };

export const test = base.extend<Fixtures & Options>({
  appMode: ['browser', { option: true }],
  openApp: async ({ appMode, page }, use, testInfo) => {
    const cleanups: Array<() => Promise<void>> = [];
    if (appMode === 'electron') {
      const reason = electronUnavailable();
      if (reason) {
        console.log(`[electron] "${testInfo.title}" skipped: ${reason}`);
        testInfo.skip(true, reason);
      }
    }
    await use(async (options = {}) => {
      if (appMode === 'electron') {
        if (options.windows)
          testInfo.skip(
            true,
            'the replaying Windows runner can only be put behind the handlers in the browser harness',
          );
        const app = await _electron.launch({
          executablePath: electronBinary() ?? undefined,
          args: [path.resolve(__dirname, '..', '..', 'out', 'main', 'index.js'), ...(options.argv ?? [])],
        });
        cleanups.push(() => app.close());
        const window = await app.firstWindow();
        return {
          mode: 'electron',
          page: window,
          harness: null,
          clipboardText: () => app.evaluate(({ clipboard }) => clipboard.readText()),
        };
      }
      const saveDir = testInfo.outputPath('saved');
      await mkdir(saveDir, { recursive: true });
      const harness = await installApp(page, { saveDir, ...options });
      cleanups.push(() => harness.close());
      return { mode: 'browser', page, harness, clipboardText: async () => harness.clipboard.at(-1) ?? null };
    });
    for (const cleanup of cleanups.reverse()) await cleanup();
  },
});

export { expect } from '@playwright/test';

export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  const viewport = page.viewportSize();
  // The app's page scrolls inside <main> (notices have their own row below it), which Playwright's fullPage
  // does not unroll: for a whole page, make the window as tall as the page for the shot, then put it back.
  const hidden = Number(
    await page.evaluate(
      `(() => { const m = document.querySelector('main'); return m ? m.scrollHeight - m.clientHeight : 0; })()`,
    ),
  );
  if ((options.fullPage ?? true) && viewport && hidden > 0) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height + hidden });
    await page.screenshot({ path: file });
    await page.setViewportSize(viewport);
    return;
  }
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
}

/** Skips a step that needs the browser harness's recordings (saved files, engine counters, replayed Windows). */
export function needsHarness(app: AppUnderTest): Harness {
  if (!app.harness) {
    test.skip(true, 'needs the recording harness of the browser project');
    throw new Error('unreachable');
  }
  return app.harness;
}
