// The CLI's `diagnose` goes through the follow layer (engine/full-run.ts's network run): the IIS-style
// set-up, an .asx served with 200 pointing at mms://…, read end to end in text and JSON.
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../cli/stream-doctor';
import type { DiagnosisReport } from '../diagnosis/types';
import { nginxUnavailable, startNginx } from '../test-support/peers/nginx';
import { startRtspServer } from '../test-support/rtsp-server';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const noLocalChecks = { plan: () => [], inspect: async () => ({ checks: [], fixes: [] }) };

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(args, {
    stdout: (text) => void (out += text),
    stderr: () => undefined,
    localChecks: noLocalChecks,
  });
  return { code, out };
}

describe.skipIf(nginxUnavailable())('stream-doctor diagnose follows a playlist', () => {
  it('names the playlist and the tested stream, in text and in JSON', async () => {
    const rtsp = await startRtspServer();
    closers.push(() => rtsp.close());
    const entry = `mms://127.0.0.1:${rtsp.port}/live`;
    const web = await startNginx({
      files: { 'radio.asx': `<asx version="3.0"><entry><ref href="${entry}"/></entry></asx>` },
    });
    closers.push(() => web.close());
    const url = `http://127.0.0.1:${web.port}/radio.asx`;

    const text = await cli(['diagnose', url, '--timeout', '1500']);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`The playlist at ${url}, each stream entry tested:`);
    expect(text.out).toContain(`  ${entry}: use-rtsp`);
    expect(text.out).toContain(`Try: rtsp://127.0.0.1:${rtsp.port}/live`);

    const json = await cli(['diagnose', url, '--timeout', '1500', '--json']);
    const report = JSON.parse(json.out) as DiagnosisReport;
    expect(report.redirects).toEqual([]);
    expect(report.playlist).toMatchObject({ url, format: 'asx', entries: [{ url: entry }] });
    expect(report.playlist?.entries[0]?.verdict?.code).toBe('use-rtsp');
  });
});
