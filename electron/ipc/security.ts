// The pure parts of the window's security rules, kept apart from main.ts so they can be tested under Node:
// the CSP, which URLs the window may show, which help pages may open in the browser, and who may call us.
// (Electron security checklist items 7, 13, 15 and 17; see docs/electron-security.md.)
import type { HelpTopic } from './contract';

/** No inline script, no plugins, no forms, no foreign origins; styles only from our own files. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The custom scheme the renderer is served from (checklist item 18: not file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'stream-doctor';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Help pages are named by topic; the renderer never hands main a URL to open. */
export const HELP_PAGES: Readonly<Record<HelpTopic, string>> = {
  protocols: 'https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-wmsp/',
  'windows-firewall':
    'https://learn.microsoft.com/en-us/windows/security/operating-system-security/network-security/windows-firewall/',
  vlc: 'https://www.videolan.org/vlc/',
  'wmp-help':
    'https://support.microsoft.com/en-us/windows/windows-media-player-d10303a5-896c-2ce2-53d4-5bd5b9fd888b',
};

const HELP_ORIGINS: ReadonlySet<string> = new Set([
  'https://learn.microsoft.com',
  'https://support.microsoft.com',
  'https://www.videolan.org',
]);

/** Compares parsed origins, never string prefixes (`https://learn.microsoft.com.evil.example` is not ours). */
export function isAllowedHelpUrl(url: string): boolean {
  const parsed = safeUrl(url);
  return (
    parsed !== null &&
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    HELP_ORIGINS.has(parsed.origin)
  );
}

/**
 * May the window be at `url`? Only our own entry page: anything else (a link, a drag-and-dropped file, a
 * script setting location) is refused. Custom schemes report origin "null", so compare scheme and host.
 */
export function isAppUrl(url: string, entryUrl: string = APP_ENTRY_URL): boolean {
  const parsed = safeUrl(url);
  const entry = safeUrl(entryUrl);
  if (!parsed || !entry) return false;
  if (
    parsed.protocol !== entry.protocol ||
    parsed.host !== entry.host ||
    parsed.username !== '' ||
    parsed.password !== ''
  )
    return false;
  // file:// (development fallback) must be the very same file, not a sibling.
  if (entry.protocol === 'file:') return parsed.pathname === entry.pathname;
  return true;
}

/** Who sent an IPC call, as far as the handler table needs to know. */
export interface CallerIdentity {
  /** webContents id in Electron; a page id in the browser tests. */
  id: number;
  /** URL of the frame that sent it; null when unknown (a destroyed frame). */
  frameUrl: string | null;
  /** Sub-frames never get an answer: the window has none of its own. */
  isMainFrame: boolean;
}

/** Trusted = one of our windows, its top frame, showing our own page. */
export function isTrustedCaller(
  caller: CallerIdentity,
  trustedIds: ReadonlySet<number>,
  entryUrl: string = APP_ENTRY_URL,
): boolean {
  return (
    trustedIds.has(caller.id) &&
    caller.isMainFrame &&
    caller.frameUrl !== null &&
    isAppUrl(caller.frameUrl, entryUrl)
  );
}

/**
 * Maps an app:// request path onto a file under `root`, or null when it would leave it (`..`, encoded
 * slashes, backslashes, NUL). `join` is path.join of the platform, passed in to keep this file Node-free.
 */
export function resolveAppFile(
  requestUrl: string,
  root: string,
  join: (...parts: string[]) => string,
): string | null {
  const parsed = safeUrl(requestUrl);
  if (!parsed || `${parsed.protocol}//${parsed.host}` !== APP_ORIGIN) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const parts = pathname.split('/').filter((part) => part !== '');
  const unsafe = parts.some(
    (part) =>
      part === '..' || part === '.' || part.includes('\\') || part.includes('\0') || part.includes(':'),
  );
  if (unsafe || parts.length === 0) return null;
  return join(root, ...parts);
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
