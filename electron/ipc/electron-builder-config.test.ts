// electron-builder.yml against electron-builder's own schema (app-builder-lib/scheme.json), plus the
// settings the security checklist and the portable start-up configuration depend on.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';

interface BuildTarget {
  target: string;
  arch: string[];
}

const root = path.resolve(__dirname, '..', '..');
const requireHere = createRequire(__filename);
// js-yaml and ajv come with electron-builder; js-yaml ships no types, so it is typed here.
const { load } = requireHere('js-yaml') as { load(text: string): unknown };
const config = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
> & {
  win: { target: BuildTarget[]; requestedExecutionLevel: string; icon: string };
  linux: { target: BuildTarget[]; icon: string };
  appImage: { artifactName: string };
  portable: { artifactName: string };
  nsis: { artifactName: string };
  electronFuses: Record<string, boolean>;
  files: string[];
};

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s schema', () => {
    const schema = requireHere('app-builder-lib/scheme.json') as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('builds a portable exe and an installer that run as the user, with names without spaces', () => {
    expect(config.win.target).toEqual([
      { target: 'portable', arch: ['x64'] },
      { target: 'nsis', arch: ['x64'] },
    ]);
    expect(config.win.requestedExecutionLevel).toBe('asInvoker');
    expect(config.portable.artifactName).not.toMatch(/\s/);
    expect(config.nsis.artifactName).not.toMatch(/\s/);
    expect(readFileSync(path.join(root, config.win.icon)).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('builds an AppImage for Linux, named without spaces', () => {
    expect(config.linux.target).toEqual([{ target: 'AppImage', arch: ['x64'] }]);
    expect(config.appImage.artifactName).not.toMatch(/\s/);
    expect(readFileSync(path.join(root, config.linux.icon)).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('has npm scripts that build each platform from a fresh checkout', () => {
    const scripts = (
      JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts['dist:win']).toBe('electron-vite build && electron-builder --win --publish never');
    expect(scripts['dist:linux']).toBe('electron-vite build && electron-builder --linux --publish never');
  });

  it('turns the release fuses off that would let the exe run as Node or be inspected', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      // The renderer is served from app://; file:// pages get no privileges beyond a browser's.
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the built app only', () => {
    expect(config.files).toContain('out/**/*');
    expect(config.files.some((f) => f.startsWith('electron/') || f.startsWith('renderer/'))).toBe(false);
  });
});
