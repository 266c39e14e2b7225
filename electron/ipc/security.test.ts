import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  HELP_PAGES,
  isAllowedHelpUrl,
  isAppUrl,
  isTrustedCaller,
  resolveAppFile,
} from './security';

describe('content security policy', () => {
  it('allows no inline script, no plugins and no foreign origins', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
});

describe('navigation', () => {
  it('allows only our own origin, compared as parsed URLs', () => {
    expect(isAppUrl('app://stream-doctor/index.html')).toBe(true);
    expect(isAppUrl('app://stream-doctor/index.html#/wizard')).toBe(true);
    for (const url of [
      'app://stream-doctor.evil/index.html',
      'app://other/index.html',
      'https://stream-doctor/',
      'file:///C:/index.html',
      'app://user@stream-doctor/',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });

  it('in the file:// fallback, allows only the same file', () => {
    const entry = 'file:///opt/app/out/renderer/index.html';
    expect(isAppUrl(entry, entry)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', entry)).toBe(false);
  });
});

describe('help pages', () => {
  it('are all https on the allow-list', () => {
    for (const url of Object.values(HELP_PAGES)) expect(isAllowedHelpUrl(url), url).toBe(true);
  });

  it('refuses look-alike origins, other schemes and credentials', () => {
    for (const url of [
      'https://learn.microsoft.com.evil.example/',
      'http://learn.microsoft.com/',
      'https://evil.example/?https://learn.microsoft.com',
      'https://user@learn.microsoft.com/',
      'file:///C:/x',
      'ms-settings:',
      '',
    ]) {
      expect(isAllowedHelpUrl(url), url).toBe(false);
    }
  });
});

describe('callers', () => {
  const trusted = new Set([3]);
  it('trusts only our window’s top frame showing our page', () => {
    expect(isTrustedCaller({ id: 3, frameUrl: APP_ENTRY_URL, isMainFrame: true }, trusted)).toBe(true);
    expect(isTrustedCaller({ id: 4, frameUrl: APP_ENTRY_URL, isMainFrame: true }, trusted)).toBe(false);
    expect(isTrustedCaller({ id: 3, frameUrl: APP_ENTRY_URL, isMainFrame: false }, trusted)).toBe(false);
    expect(isTrustedCaller({ id: 3, frameUrl: 'https://evil.example/', isMainFrame: true }, trusted)).toBe(
      false,
    );
    expect(isTrustedCaller({ id: 3, frameUrl: null, isMainFrame: true }, trusted)).toBe(false);
  });
});

describe('app:// files', () => {
  const root = path.resolve('/srv/renderer');
  it('maps paths under the renderer folder', () => {
    expect(resolveAppFile('app://stream-doctor/index.html', root, path.join)).toBe(
      path.join(root, 'index.html'),
    );
    expect(resolveAppFile('app://stream-doctor/', root, path.join)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://stream-doctor/assets/index-abc.js?x=1', root, path.join)).toBe(
      path.join(root, 'assets', 'index-abc.js'),
    );
  });

  it('refuses anything that would leave it', () => {
    for (const url of [
      'app://stream-doctor/../secret',
      'app://stream-doctor/%2e%2e/secret',
      'app://stream-doctor/assets/..%2f..%2fsecret',
      'app://stream-doctor/a%5c..%5c..%5csecret',
      'app://stream-doctor/C:%5cWindows',
      'app://stream-doctor/x%00.js',
      'app://stream-doctor/%E0%A4%A',
      'app://other-host/index.html',
    ]) {
      const file = resolveAppFile(url, root, path.join);
      expect(file === null || file.startsWith(root + path.sep), `${url} → ${file}`).toBe(true);
    }
    // The URL parser already folds encoded dot segments away: what is left stays under the root.
    expect(resolveAppFile('app://stream-doctor/%2e%2e/secret', root, path.join)).toBe(
      path.join(root, 'secret'),
    );
    expect(resolveAppFile('app://other-host/index.html', root, path.join)).toBeNull();
  });
});
