// VLC 3.0 (Debian cvlc) as a real streaming server for the integration tests: an RTSP server (the common
// "VLC re-streams a camera/file" setup) and an MMSH server (`access=mmsh`, which answers as
// `Server: Cougar 4.1.0.3921`, the Windows Media Services name).
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { asfSample } from '../asf-sample';
import { askLocal, freePort, LOOPBACK, PeerProcess, type Peer } from './ports';

export type { Peer } from './ports';

const VLC_BINARY = '/usr/bin/cvlc';
const SETPRIV_BINARY = '/usr/bin/setpriv';
const READY_TIMEOUT_MS = 10_000;

/** Why VLC cannot run here, or null when it can. */
export function vlcUnavailable(): string | null {
  if (!existsSync(VLC_BINARY)) return `${VLC_BINARY} is missing (Debian packages vlc-bin, vlc-plugin-base)`;
  if (isRoot() && !existsSync(SETPRIV_BINARY))
    return `${SETPRIV_BINARY} is missing (needed to run VLC as nobody)`;
  return null;
}

/**
 * RTSP server at `rtsp://127.0.0.1:<port>/live`. VLC's RTP output cannot packetize WMV2/WMA2 ("unsupported
 * codec"), so the file is transcoded to MPEG-4 Part 2 video + MPEG audio on the way out. VLC's RTSP server
 * only offers RTP over UDP: a SETUP asking for `RTP/AVP/TCP;interleaved` gets `461 Unsupported transport`
 * (modules/stream_out/rtsp.c: "interleaved is not implemented"). Ready once DESCRIBE returns an SDP with video.
 */
export async function startVlcRtsp(file?: string): Promise<Peer> {
  const port = await freePort();
  const url = `rtsp://${LOOPBACK}:${port}/live`;
  const chain = [
    '#transcode{vcodec=mp4v,vb=300,acodec=mpga,ab=64,channels=1,samplerate=22050}',
    `rtp{sdp=${url}}`,
  ].join(':');
  return startVlc('VLC RTSP', file, port, url, ['--rtsp-host', LOOPBACK, '--sout', chain], async () => {
    const reply = await askLocal(
      port,
      `DESCRIBE ${url} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\r\n`,
      replyComplete,
      1000,
    ).then((bytes) => bytes.toString('latin1'));
    return reply.startsWith('RTSP/1.0 200') && reply.includes('m=video');
  });
}

/**
 * MMS-over-HTTP server at `mmsh://127.0.0.1:<port>/` (also `http://…`): VLC's `mmsh` access with the
 * `asfh` mux streams the ASF file as-is. Ready once a GET is answered with `$H`, the header chunk [WMSP 2.2.3].
 */
export async function startVlcMmsh(file?: string): Promise<Peer> {
  const port = await freePort();
  const url = `mmsh://${LOOPBACK}:${port}/`;
  // The address comes from --http-host; VLC 3 warns when it is given in dst instead.
  const sout = `#std{access=mmsh,mux=asfh,dst=:${port}}`;
  return startVlc('VLC MMSH', file, port, url, ['--http-host', LOOPBACK, '--sout', sout], async () => {
    const reply = await askLocal(
      port,
      `GET / HTTP/1.0\r\nHost: ${LOOPBACK}:${port}\r\nUser-Agent: NSPlayer/7.10.0.3059\r\nAccept: */*\r\n\r\n`,
      (bytes) => headEnd(bytes) > 0 && bytes.length >= headEnd(bytes) + 2,
      1000,
    );
    const end = headEnd(reply);
    return (
      end > 0 &&
      reply.subarray(0, 12).toString('latin1') === 'HTTP/1.0 200' &&
      reply.subarray(end, end + 2).toString('latin1') === '$H'
    );
  });
}

/** An RTSP/HTTP reply whose head and Content-Length body have both arrived. */
function replyComplete(bytes: Buffer): boolean {
  const end = headEnd(bytes);
  if (end < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(bytes.subarray(0, end).toString('latin1'));
  return bytes.length >= end + Number(length?.[1] ?? 0);
}

function headEnd(bytes: Buffer): number {
  const at = bytes.indexOf('\r\n\r\n');
  return at < 0 ? -1 : at + 4;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function startVlc(
  name: string,
  file: string | undefined,
  port: number,
  url: string,
  outputArgs: string[],
  isReady: () => Promise<boolean>,
): Promise<Peer> {
  const unavailable = vlcUnavailable();
  if (unavailable) throw new Error(unavailable);
  const source = file ?? (await asfSample()).filePath;
  // VLC refuses to run as root, so it runs as nobody; the media must be readable by that user, hence a fresh
  // world-readable copy. The directory doubles as VLC's HOME so it does not try /nonexistent.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'stream-doctor-vlc-'));
  await chmod(dir, 0o755);
  const media = path.join(dir, `media${path.extname(source) || '.asf'}`);
  await copyFile(source, media);
  await chmod(media, 0o644);

  const vlcArgs = [
    ['--intf', 'dummy', '--verbose', '0', '--no-dbus'],
    // A server needs no local playback at all.
    ['--aout', 'dummy', '--vout', 'dummy', '--no-stats', '--no-osd', '--no-spu'],
    ['--no-sub-autodetect-file', '--no-metadata-network-access'],
    // Loop the 4-second sample forever; sout-keep keeps one output (and its listening socket) across loops.
    ['--loop', '--sout-keep'],
    outputArgs,
    [media],
  ].flat();
  const env = { ...process.env, HOME: dir };
  const vlc = isRoot()
    ? new PeerProcess(
        name,
        SETPRIV_BINARY,
        ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', VLC_BINARY, ...vlcArgs],
        env,
      )
    : new PeerProcess(name, VLC_BINARY, vlcArgs, env);

  const close = async (): Promise<void> => {
    await vlc.stop('SIGTERM', 3000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await vlc.waitUntil(isReady, READY_TIMEOUT_MS, `serving ${url}`);
  } catch (error) {
    await close();
    throw error;
  }
  return { port, url, close };
}
