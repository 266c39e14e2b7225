// A real ASF (Windows Media) file for the simulators to serve, made by Debian's ffmpeg on first use and cached.
// Real clients (ffprobe) then decode what our simulators send, which is what proves the simulators faithful.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface AsfSample {
  /** The whole file. */
  file: Buffer;
  /** The ASF Header Object (what `$H`, the MMS header packets and the SDP pgmpu line carry). */
  header: Buffer;
  /** Data packets, each exactly `packetSize` bytes. */
  packets: Buffer[];
  packetSize: number;
  /** Where the file lives, for peers (VLC) that stream from disk. */
  filePath: string;
}

const HEADER_GUID = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex');
const DATA_GUID = Buffer.from('3626b2758e66cf11a6d900aa0062ce6c', 'hex');
const FILE_PROPERTIES_GUID = Buffer.from('a1dcab8c47a9cf118ee400c00c205365', 'hex');

export const SAMPLE_CODECS = { video: 'wmv2', audio: 'wmav2' } as const;

let cached: Promise<AsfSample> | null = null;

export function asfSample(): Promise<AsfSample> {
  cached ??= makeSample();
  return cached;
}

async function makeSample(): Promise<AsfSample> {
  const dir = path.join(os.tmpdir(), 'stream-doctor-test-media');
  const filePath = path.join(dir, 'sample.asf');
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const exists = await stat(filePath).then(
    (s) => s.size > 0,
    () => false,
  );
  if (!exists) {
    const partial = `${filePath}.${process.pid}.tmp`;
    await run(
      'ffmpeg',
      [
        ['-hide_banner', '-loglevel', 'error'],
        ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10'],
        ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=22050'],
        ['-t', '4', '-c:v', SAMPLE_CODECS.video, '-b:v', '150k', '-c:a', SAMPLE_CODECS.audio, '-b:a', '32k'],
        ['-f', 'asf', '-y', partial],
      ].flat(),
      { timeout: 60_000 },
    );
    await rename(partial, filePath);
  }
  return splitAsf(await readFile(filePath), filePath);
}

/** Splits an ASF file into its Header Object and fixed-size data packets. */
export function splitAsf(file: Buffer, filePath: string): AsfSample {
  if (!file.subarray(0, 16).equals(HEADER_GUID)) throw new Error(`${filePath} is not an ASF file`);
  const headerSize = Number(file.readBigUInt64LE(16));
  const header = file.subarray(0, headerSize);
  const fileProps = header.indexOf(FILE_PROPERTIES_GUID);
  if (fileProps < 0) throw new Error('ASF header has no File Properties Object');
  // Minimum Data Packet Size sits 92 bytes into the File Properties Object; ffmpeg writes min == max.
  const packetSize = header.readUInt32LE(fileProps + 92);
  if (!file.subarray(headerSize, headerSize + 16).equals(DATA_GUID))
    throw new Error('no Data Object after the header');
  const dataSize = Number(file.readBigUInt64LE(headerSize + 16));
  const packets: Buffer[] = [];
  // The Data Object has a 50-byte header before its packets.
  for (let offset = headerSize + 50; offset + packetSize <= headerSize + dataSize; offset += packetSize) {
    packets.push(file.subarray(offset, offset + packetSize));
  }
  return { file, header, packets, packetSize, filePath };
}
