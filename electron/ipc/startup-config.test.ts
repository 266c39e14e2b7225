import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseErrorCode } from '../input/error-codes';
import { validateRequest } from '../engine/run-diagnosis';
import { parseIpAddress, parseStreamUrl } from '../input/stream-url';
import {
  CONFIG_FILE_NAME,
  loadStartupConfig,
  parseConfigJson,
  parseStartupArgs,
  type InputValidator,
  type StartupSources,
} from './startup-config';

// The same parsers validateRequest uses, so the messages are the real ones.
const validate: InputValidator = (request) => {
  const url = parseStreamUrl(request.url);
  if (!url.ok) return { ok: false, field: 'url', message: url.message };
  if (request.errorCode) {
    const code = parseErrorCode(request.errorCode);
    if (!code.ok) return { ok: false, field: 'errorCode', message: code.message };
  }
  if (request.expectIp) {
    const ip = parseIpAddress(request.expectIp);
    if (!ip.ok) return { ok: false, field: 'expectIp', message: ip.message };
  }
  if (
    request.timeoutMs !== undefined &&
    (!Number.isInteger(request.timeoutMs) || request.timeoutMs < 200 || request.timeoutMs > 60_000)
  ) {
    return {
      ok: false,
      field: 'timeoutMs',
      message: 'The timeout must be a whole number of milliseconds from 200 to 60000.',
    };
  }
  return { ok: true };
};

function sources(overrides: Partial<StartupSources>, files: Record<string, string> = {}): StartupSources {
  return {
    argv: [],
    packaged: false,
    env: {},
    readFile: async (file) => (file in files ? files[file]! : null),
    validate,
    ...overrides,
  };
}

describe('command-line start-up options', () => {
  it('reads --flag value and --flag=value, ignoring Chromium switches and positionals', () => {
    const parsed = parseStartupArgs([
      '.',
      '--no-sandbox',
      '--url',
      'mms://a.example/live',
      '--code=0xC00D2EFA',
      '--tier',
      'moderate',
      '--timeout',
      '5000',
    ]);
    expect(parsed.values).toEqual({
      url: 'mms://a.example/live',
      errorCode: '0xC00D2EFA',
      tier: 'moderate',
      timeoutMs: 5000,
    });
    expect(parsed.problems).toEqual([]);
  });

  it('reads --known-good in both forms and asks for its value when it has none', () => {
    expect(parseStartupArgs(['--known-good', 'rtsp://good.example/live']).values).toEqual({
      knownGoodUrl: 'rtsp://good.example/live',
    });
    expect(parseStartupArgs(['--known-good=mms://good.example/live']).values).toEqual({
      knownGoodUrl: 'mms://good.example/live',
    });
    expect(parseStartupArgs(['--known-good']).problems).toEqual([
      '--known-good needs a value, e.g. --known-good mms://media.example.org/known-good.',
    ]);
  });

  it('says which flag lacks a value', () => {
    const parsed = parseStartupArgs(['--url', '--tier', 'simple', '--config']);
    expect(parsed.problems).toEqual([
      '--url needs a value, e.g. --url mms://media.example.org/live.',
      '--config needs a value, e.g. --config C:\\Support\\stream-doctor.json.',
    ]);
    expect(parsed.values).toEqual({ tier: 'simple' });
  });

  it('keeps a non-numeric timeout as text so validation can explain it', () => {
    expect(parseStartupArgs(['--timeout', 'soon']).values.timeoutMs).toBe('soon');
  });
});

describe('config file JSON', () => {
  it('reads a timeout written as text', () => {
    expect(parseConfigJson('{"timeout": "4500"}').values).toEqual({ timeoutMs: 4500 });
  });

  it('accepts the known keys and their aliases', () => {
    expect(
      parseConfigJson(
        '\uFEFF{"url":"rtsp://h/live","code":"C00D2EE8","expectIp":"192.0.2.1","tier":"advanced","timeoutMs":4000}',
      ),
    ).toEqual({
      values: {
        url: 'rtsp://h/live',
        errorCode: 'C00D2EE8',
        expectIp: '192.0.2.1',
        tier: 'advanced',
        timeoutMs: 4000,
      },
      problems: [],
    });
  });

  it('reads the known-good stream as knownGoodUrl or known-good, and only as text', () => {
    expect(parseConfigJson('{"knownGoodUrl":"rtsp://good.example/live"}')).toEqual({
      values: { knownGoodUrl: 'rtsp://good.example/live' },
      problems: [],
    });
    expect(parseConfigJson('{"known-good":"mms://good.example/live"}').values).toEqual({
      knownGoodUrl: 'mms://good.example/live',
    });
    expect(parseConfigJson('{"knownGoodUrl": 42}')).toEqual({
      values: {},
      problems: ['"knownGoodUrl" must be text.'],
    });
  });

  it('explains broken JSON, arrays, unknown keys and wrong types', () => {
    expect(parseConfigJson('{url: x}').problems[0]).toMatch(/^it is not valid JSON/);
    expect(parseConfigJson('[1]').problems).toEqual([
      'it must hold one JSON object, e.g. {"url": "mms://media.example.org/live"}.',
    ]);
    const mixed = parseConfigJson('{"url": 5, "colour": "red", "timeout": true, "tier": null}');
    expect(mixed.problems).toEqual([
      '"url" must be text.',
      'unknown setting "colour" (known: url, code, expectIp, knownGoodUrl, tier, timeoutMs).',
      '"timeout" must be text or a number.',
    ]);
    expect(mixed.values).toEqual({});
  });
});

describe('loadStartupConfig', () => {
  it('pre-fills from the command line', async () => {
    const config = await loadStartupConfig(
      sources({
        argv: [
          '--url',
          'mms://media.example.org/live',
          '--code',
          'NS_E_MMS_NOT_SUPPORTED',
          '--expect-ip',
          '192.0.2.10',
        ],
      }),
    );
    expect(config.prefill).toEqual({
      url: 'mms://media.example.org/live',
      errorCode: 'NS_E_MMS_NOT_SUPPORTED',
      expectIp: '192.0.2.10',
      tier: null,
      timeoutMs: null,
      knownGoodUrl: null,
    });
    expect(config.sources).toEqual(['command line']);
    expect(config.problems).toEqual([]);
  });

  it('drops each bad value with a message naming its source, and keeps the good ones', async () => {
    const config = await loadStartupConfig(
      sources({
        argv: [
          '--url',
          'mms://',
          '--code',
          'banana',
          '--expect-ip',
          'server.example',
          '--tier',
          'expert',
          '--timeout',
          '5',
          '--expect-ip=10.0.0.1',
        ],
      }),
    );
    expect(config.prefill).toEqual({
      url: null,
      errorCode: null,
      expectIp: '10.0.0.1',
      tier: null,
      timeoutMs: null,
      knownGoodUrl: null,
    });
    expect(config.sources).toEqual(['command line']);
    expect((await loadStartupConfig(sources({ argv: ['--tier', 'expert'] }))).sources).toEqual([]);
    expect(config.problems.map((p) => p.source)).toEqual([
      'command line',
      'command line',
      'command line',
      'command line',
    ]);
    const messages = config.problems.map((p) => p.message);
    expect(messages[0]).toMatch(/^url: /);
    expect(messages[1]).toMatch(/^code: /);
    expect(messages[2]).toMatch(/^tier: "expert" is not a tier; use simple, moderate or advanced\.$/);
    expect(messages[3]).toMatch(/^timeout: The timeout must be/);
  });

  it('takes the known-good stream from stream-doctor.json, checked by the engine, and drops a bad one', async () => {
    const dir = path.resolve('/portable/site');
    const files = {
      [path.join(dir, CONFIG_FILE_NAME)]: '{"knownGoodUrl":"  rtsp://10.0.0.9/known-good  "}',
    };
    const site = { packaged: true, env: { PORTABLE_EXECUTABLE_DIR: dir }, validate: validateRequest };
    const good = await loadStartupConfig(sources(site, files));
    expect(good.prefill.knownGoodUrl).toBe('rtsp://10.0.0.9/known-good');
    expect(good.problems).toEqual([]);

    const bad = await loadStartupConfig(sources({ ...site, argv: ['--known-good', 'rtsp://[::1'] }, files));
    expect(bad.prefill.knownGoodUrl).toBe('rtsp://10.0.0.9/known-good');
    expect(bad.sources).toEqual([`${CONFIG_FILE_NAME} next to the app`]);
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]!.source).toBe('command line');
    // The engine's own explanation, without its "Known-good stream:" prefix doubling the setting's name.
    const engine = validateRequest({ url: 'mms://h/', knownGoodUrl: 'rtsp://[::1' });
    expect(engine).toMatchObject({ ok: false, field: 'knownGoodUrl' });
    const explanation = engine.ok ? '' : engine.message.slice('Known-good stream: '.length);
    expect(explanation.length).toBeGreaterThan(10);
    expect(bad.problems[0]!.message).toBe(`known-good: ${explanation}`);
  });

  it('trusts stream-doctor.json beside the portable exe only in a packaged app', async () => {
    const dir = path.resolve('/portable/dir');
    const files = { [path.join(dir, CONFIG_FILE_NAME)]: '{"url":"rtsp://10.0.0.5/live","tier":"moderate"}' };
    const packaged = await loadStartupConfig(
      sources({ packaged: true, env: { PORTABLE_EXECUTABLE_DIR: dir } }, files),
    );
    expect(packaged.prefill.url).toBe('rtsp://10.0.0.5/live');
    expect(packaged.prefill.tier).toBe('moderate');
    expect(packaged.sources).toEqual([`${CONFIG_FILE_NAME} next to the app`]);
    const development = await loadStartupConfig(
      sources({ packaged: false, env: { PORTABLE_EXECUTABLE_DIR: dir } }, files),
    );
    expect(development.prefill.url).toBeNull();
    expect(development.sources).toEqual([]);
    const relative = await loadStartupConfig(
      sources(
        { packaged: true, env: { PORTABLE_EXECUTABLE_DIR: 'relative' } },
        { [path.join('relative', CONFIG_FILE_NAME)]: '{"url":"rtsp://h/"}' },
      ),
    );
    expect(relative.prefill.url).toBeNull();
  });

  it('lets --config override the portable file and the command line override both', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sd-config-'));
    const configFile = path.join(dir, 'support.json');
    await writeFile(
      configFile,
      JSON.stringify({ url: 'mms://from-config/live', code: '0xC00D2EE8', tier: 'advanced' }),
    );
    const portable = path.join(dir, 'portable');
    const readFile = async (file: string): Promise<string | null> => {
      if (file === path.join(portable, CONFIG_FILE_NAME))
        return '{"url":"mms://from-portable/live","expectIp":"192.0.2.7"}';
      const { readFile: read } = await import('node:fs/promises');
      return read(file, 'utf8').catch(() => null);
    };
    const config = await loadStartupConfig(
      sources({
        packaged: true,
        env: { PORTABLE_EXECUTABLE_DIR: portable },
        argv: ['--config', configFile, '--tier', 'simple'],
        readFile,
      }),
    );
    expect(config.prefill).toEqual({
      url: 'mms://from-config/live',
      errorCode: '0xC00D2EE8',
      expectIp: '192.0.2.7',
      tier: 'simple',
      timeoutMs: null,
      knownGoodUrl: null,
    });
    expect(config.sources).toEqual([
      `${CONFIG_FILE_NAME} next to the app`,
      `--config ${configFile}`,
      'command line',
    ]);
  });

  it('reports a missing, unreadable or oversized --config file', async () => {
    const missing = await loadStartupConfig(sources({ argv: ['--config', '/nowhere/sd.json'] }));
    expect(missing.problems).toEqual([{ source: '--config /nowhere/sd.json', message: 'does not exist.' }]);
    const denied = await loadStartupConfig(
      sources({
        argv: ['--config', '/locked.json'],
        readFile: async () => {
          throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        },
      }),
    );
    expect(denied.problems).toEqual([
      { source: '--config /locked.json', message: 'cannot be read (permission denied).' },
    ]);
    const huge = await loadStartupConfig(
      sources({ argv: ['--config', '/big.json'], readFile: async (_f, max) => 'x'.repeat(max) }),
    );
    expect(huge.problems[0]!.message).toMatch(/is larger than 64 kB/);
  });
});
