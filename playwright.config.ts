// End-to-end tests: the built renderer in Debian's Chromium, its preload API bound to the REAL handler table
// (real engine, real servers on 127.0.0.1 and in a test network namespace; only the Windows command runner
// replays recorded real outputs). The `electron` project runs the same specs in Playwright's _electron where
// an Electron binary exists, and skips them with the reason printed where it does not (as here).
import { defineConfig } from '@playwright/test';

export default defineConfig<{ appMode: 'browser' | 'electron' }>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Two cores: one worker keeps the timing of real sockets (and of Chromium) steady.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    headless: true,
    viewport: { width: 1120, height: 800 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [
    { name: 'chromium', use: { appMode: 'browser' } },
    { name: 'electron', use: { appMode: 'electron' } },
  ],
});
