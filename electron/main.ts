// The Electron main process only wires things together: the hardened window, the app:// protocol that serves
// the renderer, and the IPC handler table (electron/ipc/handlers.ts), whose dependencies are the engine, the
// Windows layer and a few Electron services. Security rules follow Electron's checklist (docs/electron-security.md).
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  shell,
  type IpcMainInvokeEvent,
} from 'electron';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createAppLog } from './bundle/app-log';
import { validateRequest } from './engine/run-diagnosis';
import { parseStreamUrl } from './input/stream-url';
import type { StartupConfig } from './ipc/contract';
import { createBundlePort } from './ipc/bundle-adapter';
import { createHandlers, type Caller, type HandlerTable } from './ipc/handlers';
import { createSystemPlayers } from './ipc/players';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  isAllowedHelpUrl,
  isAppUrl,
  isTrustedCaller,
  resolveAppFile,
} from './ipc/security';
import { saveReport } from './ipc/save-report';
import { loadStartupConfig } from './ipc/startup-config';
import { createWindowsPort } from './ipc/windows-adapter';
import { findWindowsDirectory } from './windows/fixes/windows-directory';

// Must happen before `ready`: app:// behaves like a secure, standard origin (checklist item 18).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

const RENDERER_ROOT = path.join(__dirname, '../renderer');
// `electron-vite dev` serves the renderer itself; never believed in a packaged app.
const DEV_URL = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const ENTRY_URL = DEV_URL ?? APP_ENTRY_URL;

const trustedWebContents = new Set<number>();
let startupConfig: Promise<StartupConfig> | null = null;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, RENDERER_ROOT, path.join);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

/** Reads at most `maxBytes` of a file; null when it does not exist. */
async function readBounded(file: string, maxBytes: number): Promise<string | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

function callerOf(event: IpcMainInvokeEvent): Caller {
  const contents = event.sender;
  const frame = event.senderFrame;
  return {
    id: contents.id,
    frameUrl: frame?.url ?? null,
    isMainFrame: frame !== null && frame === contents.mainFrame,
    send(channel, payload) {
      if (!contents.isDestroyed()) contents.send(channel, payload);
    },
  };
}

function createHandlerTable(): HandlerTable {
  return createHandlers({
    isTrustedCaller: (caller) => isTrustedCaller(caller, trustedWebContents, ENTRY_URL),
    engine: { validateRequest },
    windows: createWindowsPort({
      // The journal of applied fixes outlives the app, so Undo works after a restart.
      journalFile: path.join(app.getPath('userData'), 'fix-journal.json'),
      workDir: app.getPath('userData'),
      // Not %SystemRoot%: a program running as the user could point it at its own netsh.exe.
      windowsDirectory: findWindowsDirectory(),
    }),
    clipboard: { writeText: (text) => clipboard.writeText(text) },
    async saveFile({ suggestedName, format, content }) {
      const owner = BrowserWindow.getFocusedWindow();
      const options = {
        title: 'Save the Stream Doctor report',
        defaultPath: path.join(app.getPath('documents'), suggestedName),
        filters: [
          format === 'html'
            ? { name: 'Web page', extensions: ['html'] }
            : { name: 'JSON', extensions: ['json'] },
        ],
      };
      const choice = owner
        ? await dialog.showSaveDialog(owner, options)
        : await dialog.showSaveDialog(options);
      if (choice.canceled || !choice.filePath) return { saved: false, path: null };
      return saveReport(choice.filePath, content);
    },
    players: createSystemPlayers(),
    async openExternal(url) {
      if (!isAllowedHelpUrl(url)) throw new Error('That address is not an allowed help page.');
      await shell.openExternal(url);
    },
    startupConfig: () =>
      (startupConfig ??= loadStartupConfig({
        // Packaged: [exe, ...args]; development: [electron, app path, ...args].
        argv: process.argv.slice(app.isPackaged ? 1 : 2),
        packaged: app.isPackaged,
        env: process.env,
        readFile: readBounded,
        validate: (request) => validateRequest(request),
      })),
    parseStreamUrl,
    bundle: createBundlePort({
      log: createAppLog(),
      packaged: app.isPackaged,
      env: process.env,
      documentsDir: app.getPath('documents'),
      async chooseFile() {
        const owner = BrowserWindow.getFocusedWindow();
        const options = {
          title: 'Open a Stream Doctor report or support bundle',
          defaultPath: app.getPath('downloads'),
          properties: ['openFile' as const],
          filters: [{ name: 'Stream Doctor bundle or report', extensions: ['zip', 'json'] }],
        };
        const choice = owner
          ? await dialog.showOpenDialog(owner, options)
          : await dialog.showOpenDialog(options);
        return choice.canceled ? null : (choice.filePaths[0] ?? null);
      },
      showItemInFolder: (file) => shell.showItemInFolder(file),
    }),
  });
}

function hardenEveryWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, ENTRY_URL)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, ENTRY_URL)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function applicationMenu(): Menu {
  // Edit and zoom keys (Ctrl+C, Ctrl+Plus…) come from menu roles; nothing that reloads or opens dev tools.
  return Menu.buildFromTemplate([
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
  ]);
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1120,
    height: 800,
    minWidth: 560,
    minHeight: 480,
    show: false,
    title: 'Stream Doctor',
    autoHideMenuBar: true,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
      // Developer tools only in development builds.
      devTools: !app.isPackaged,
    },
  });
  const id = window.webContents.id;
  trustedWebContents.add(id);
  window.on('closed', () => trustedWebContents.delete(id));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(ENTRY_URL);
  return window;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  let table: HandlerTable | null = null;
  app.on('second-instance', () => {
    if (mainWindow && !mainWindow.isDestroyed()) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  void app.whenReady().then(() => {
    hardenEveryWebContents();
    serveRenderer();
    Menu.setApplicationMenu(applicationMenu());
    const handlers = createHandlerTable();
    table = handlers;
    for (const { name, channel } of handlers.channels) {
      ipcMain.handle(channel, (event, ...args: unknown[]) => handlers.invoke(name, callerOf(event), args));
    }
    mainWindow = createWindow();
  });
  app.on('before-quit', () => void table?.dispose());
  app.on('window-all-closed', () => app.quit());
}
