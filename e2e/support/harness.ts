// Puts the app into a plain Chromium page the way Electron would: the BUILT preload (out/preload/index.js)
// runs before the page's scripts with a stand-in for the `electron` module whose ipcRenderer reaches the
// REAL handler table (electron/ipc/handlers.ts) through a Playwright binding. The engine, the servers and
// the trust rule are the real ones; clipboard, file saving, players and the browser are recorded instead,
// and the Windows command runner replays recorded real outputs.
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { createAppLog } from '../../electron/bundle/app-log';
import { BUNDLE_LIMITS } from '../../electron/bundle/read-bundle';
import { collectSystemFacts } from '../../electron/bundle/system-facts';
import { runNetwork } from '../../electron/engine/full-run';
import { validateRequest } from '../../electron/engine/run-diagnosis';
import { parseStreamUrl } from '../../electron/input/stream-url';
import { INVOKE_CHANNELS, type InvokeName, type PlayerId } from '../../electron/ipc/contract';
import { createHandlers, type Caller, type HandlerTable } from '../../electron/ipc/handlers';
import { isTrustedCaller } from '../../electron/ipc/security';
import { loadStartupConfig } from '../../electron/ipc/startup-config';
import { NO_WINDOWS, type WindowsPort } from '../../electron/ipc/windows-port';
import { windowsClientRecordings } from '../../electron/ipc/test-support/windows-recordings';
import { runSelfTest } from '../../electron/self-test/run-self-test';
import { createReplayRunner } from '../../electron/windows/replay-runner';

/** The computer name support bundles made in the harness carry. */
export const HARNESS_COMPUTER_NAME = 'HELPDESK-PC-07';

const ROOT = path.resolve(__dirname, '..', '..');
const RENDERER_DIR = path.join(ROOT, 'out', 'renderer');
const PRELOAD_FILE = path.join(ROOT, 'out', 'preload', 'index.js');
/** A name that never resolves: every request to it is answered by page.route from out/renderer. */
export const APP_ORIGIN = 'http://stream-doctor.test';
export const ENTRY_URL = `${APP_ORIGIN}/index.html`;

const INVOKE_BINDING = '__streamDoctorInvoke';
const DELIVER_FUNCTION = '__streamDoctorDeliver';

export interface HarnessOptions {
  /** Start-up arguments, as IT staff would pass them to the exe. */
  argv?: string[];
  windows?: WindowsPort;
  /** Where exported reports are written (the save dialog's choice). */
  saveDir: string;
  players?: Record<PlayerId, boolean>;
}

export interface Harness {
  page: Page;
  table: HandlerTable;
  clipboard: string[];
  saved: string[];
  openedInPlayer: Array<[PlayerId, string]>;
  openedExternally: string[];
  /** Support bundles written (full paths), and the ones "Show in folder" was asked for. */
  savedBundles: string[];
  shownInFolder: string[];
  /** The test hook for the open dialog: the file the next "Open a report or bundle" picks (null = cancel). */
  chooseFile(file: string | null): void;
  /** How many times the engine was asked to run (bad input must leave this at 0). */
  engineRuns(): number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

let nextPageId = 1;

export async function installApp(page: Page, options: HarnessOptions): Promise<Harness> {
  const pageId = nextPageId++;
  const clipboard: string[] = [];
  const saved: string[] = [];
  const openedInPlayer: Array<[PlayerId, string]> = [];
  const openedExternally: string[] = [];
  let engineRuns = 0;
  const savedBundles: string[] = [];
  const shownInFolder: string[] = [];
  let chosenFile: string | null = null;
  await mkdir(options.saveDir, { recursive: true });

  const table = createHandlers({
    // The real trust rule, fed what Playwright knows about the calling frame.
    isTrustedCaller: (caller) => isTrustedCaller(caller, new Set([pageId]), ENTRY_URL),
    engine: {
      validateRequest,
      network: (request, runOptions) => {
        engineRuns++;
        return runNetwork(request, runOptions);
      },
    },
    windows: options.windows ?? NO_WINDOWS,
    clipboard: { writeText: (text) => void clipboard.push(text) },
    async saveFile({ suggestedName, content }) {
      const file = path.join(options.saveDir, suggestedName);
      await writeFile(file, content, 'utf8');
      saved.push(file);
      return { saved: true, path: file };
    },
    players: {
      detect: async () => [
        { id: 'wmp', name: 'Windows Media Player', available: options.players?.wmp ?? true },
        { id: 'vlc', name: 'VLC media player', available: options.players?.vlc ?? true },
      ],
      open: async (player, url) => void openedInPlayer.push([player, url]),
    },
    openExternal: async (url) => void openedExternally.push(url),
    startupConfig: () =>
      loadStartupConfig({
        argv: options.argv ?? [],
        packaged: false,
        env: {},
        readFile: (file) => readFile(file, 'utf8').catch(() => null),
        validate: (request) => validateRequest(request),
      }),
    parseStreamUrl,
    bundle: {
      log: createAppLog(),
      computerName: () => HARNESS_COMPUTER_NAME,
      // The facts of a Windows 10 client, replayed from its recorded real outputs.
      systemFacts: () =>
        collectSystemFacts({
          runner: createReplayRunner(windowsClientRecordings()),
          platform: 'win32',
          computerName: HARNESS_COMPUTER_NAME,
        }),
      async save(fileName, bytes) {
        const file = path.join(options.saveDir, fileName);
        await writeFile(file, bytes);
        savedBundles.push(file);
        return file;
      },
      showInFolder: (file) => void shownInFolder.push(file),
      async chooseFileToOpen() {
        if (chosenFile === null) return null;
        const bytes = await readFile(chosenFile);
        return { name: path.basename(chosenFile), bytes: bytes.subarray(0, BUNDLE_LIMITS.fileBytes + 1) };
      },
      selfTest: () => runSelfTest(),
    },
  });

  await page.route(`${APP_ORIGIN}/**`, async (route) => {
    const { pathname } = new URL(route.request().url());
    const file = path.join(
      RENDERER_DIR,
      path.normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, ''),
    );
    if (!file.startsWith(RENDERER_DIR + path.sep)) return route.fulfill({ status: 404, body: 'not found' });
    const body = await readFile(file).catch(() => null);
    if (!body) return route.fulfill({ status: 404, body: 'not found' });
    await route.fulfill({
      status: 200,
      body,
      headers: { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' },
    });
  });

  const nameOfChannel = new Map(
    Object.entries(INVOKE_CHANNELS).map(([name, channel]) => [channel, name as InvokeName]),
  );
  // Events go out one at a time, in order, as webContents.send would deliver them.
  let delivery: Promise<unknown> = Promise.resolve();
  await page.exposeBinding(INVOKE_BINDING, (source, channel: unknown, args: unknown) => {
    const caller: Caller = {
      id: source.page === page ? pageId : -1,
      frameUrl: source.frame.url(),
      isMainFrame: source.frame === page.mainFrame(),
      send(eventChannel, payload) {
        delivery = delivery
          .then(() =>
            page.evaluate(
              ([name, c, p]) =>
                (globalThis as unknown as Record<string, (c: string, p: unknown) => void>)[name]?.(c, p),
              [DELIVER_FUNCTION, eventChannel, payload] as const,
            ),
          )
          .catch(() => undefined);
      },
    };
    const name = typeof channel === 'string' ? nameOfChannel.get(channel) : undefined;
    return table.invoke(name ?? String(channel), caller, Array.isArray(args) ? args : []);
  });

  const preload = await readFile(PRELOAD_FILE, 'utf8');
  await page.addInitScript({ content: preloadInitScript(preload) });

  await page.goto(ENTRY_URL);
  return {
    page,
    table,
    clipboard,
    saved,
    openedInPlayer,
    openedExternally,
    engineRuns: () => engineRuns,
    savedBundles,
    shownInFolder,
    chooseFile(file) {
      chosenFile = file;
    },
    async close() {
      await table.dispose();
    },
  };
}

/**
 * The built preload (CommonJS, exactly as electron-vite made it for the sandbox), wrapped with a stand-in
 * `electron` module: contextBridge defines a frozen global, ipcRenderer.invoke calls the binding, and events
 * arrive with an event object first, as in Electron, so the preload has to drop it.
 */
function preloadInitScript(preloadSource: string): string {
  return `(() => {
  const listeners = new Map();
  window[${JSON.stringify(DELIVER_FUNCTION)}] = (channel, payload) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'ipcRenderer would leak here' }, payload);
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld(key, api) {
        Object.defineProperty(window, key, { value: Object.freeze(api), writable: false, configurable: false });
      },
    },
    ipcRenderer: {
      invoke: (channel, ...args) => window[${JSON.stringify(INVOKE_BINDING)}](channel, args),
      on(channel, listener) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel).add(listener);
      },
      removeListener(channel, listener) {
        listeners.get(channel)?.delete(listener);
      },
    },
  };
  const module = { exports: {} };
  const require = (name) => {
    if (name === 'electron') return electron;
    throw new Error('a sandboxed preload can only require electron, not ' + name);
  };
  (function (exports, require, module) {
${preloadSource}
  })(module.exports, require, module);
})();`;
}
