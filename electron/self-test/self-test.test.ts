import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { readWmspFrames } from '../probes/mmsh';
import { sdpAsfHeader } from '../probes/rtsp';
import { selfTestAsfFileStart, selfTestAsfHeader } from './asf-header';
import {
  RESPONDER_LIMITS,
  SELF_TEST_PATH,
  startMmshResponder,
  startMmsResponder,
  startRtspResponder,
} from './responders';
import { runSelfTest, startSelfTestResponders, type Responders } from './run-self-test';

describe('self-test', () => {
  it('passes on this machine: every probe understands its own responder', async () => {
    const result = await runSelfTest();
    expect(result.steps.map((s) => [s.protocol, s.passed])).toEqual([
      ['mms', true],
      ['mmsh', true],
      ['rtsp', true],
    ]);
    expect(result.passed).toBe(true);
    expect(result.loopbackBlocked).toBe(false);
    expect(result.steps.find((s) => s.protocol === 'mms')?.summary).toMatch(/9\.01\.01\.3814.*exists/);
    expect(result.steps.find((s) => s.protocol === 'mmsh')?.summary).toMatch(/Cougar\/9\.01\.01\.3814/);
  });

  it('fails honestly, as blocked loopback, when a responder is not listening any more', async () => {
    const stopped = async (): Promise<Responders> => {
      const responders = await startSelfTestResponders();
      await responders.rtsp.close();
      return responders;
    };
    const result = await runSelfTest({ startResponders: stopped, timeoutMs: 2000 });
    expect(result.passed).toBe(false);
    expect(result.loopbackBlocked).toBe(true);
    const rtsp = result.steps.find((s) => s.protocol === 'rtsp');
    expect(rtsp?.passed).toBe(false);
    expect(rtsp?.summary).toMatch(/was refused.*blocks loopback connections/);
    expect(result.steps.filter((s) => s.passed).map((s) => s.protocol)).toEqual(['mms', 'mmsh']);
  });

  it('fails, without blaming loopback, when a responder answers in the wrong protocol', async () => {
    const swapped = async (): Promise<Responders> => {
      const responders = await startSelfTestResponders();
      await responders.rtsp.close();
      return { ...responders, rtsp: await startMmshResponder() };
    };
    const result = await runSelfTest({ startResponders: swapped, timeoutMs: 2000 });
    expect(result.passed).toBe(false);
    expect(result.loopbackBlocked).toBe(false);
    expect(result.steps.find((s) => s.protocol === 'rtsp')?.summary).toMatch(/^Connected, but/);
  });

  it('says so when it cannot even listen on loopback', async () => {
    const result = await runSelfTest({
      startResponders: () => Promise.reject(new Error('listen EACCES 127.0.0.1')),
    });
    expect(result).toMatchObject({ passed: false, steps: [] });
    expect(result.summary).toMatch(/could not start its own test servers.*EACCES/);
  });
});

describe('self-test responders', () => {
  it('hand out a well-formed ASF start: sizes add up, and the probes recognise it', () => {
    const header = selfTestAsfHeader();
    expect(Number(header.readBigUInt64LE(16))).toBe(header.length);
    let offset = 30;
    for (let i = 0; i < header.readUInt32LE(24); i++) offset += Number(header.readBigUInt64LE(offset + 16));
    expect(offset).toBe(header.length);
    const start = selfTestAsfFileStart();
    expect(start.length).toBe(header.length + 50);
    const sdp = `a=pgmpu:data:application/vnd.ms.wms-hdr.asfv1;base64,${start.toString('base64')}\r\n`;
    expect(sdpAsfHeader(sdp)?.equals(start)).toBe(true);
  });

  it('MMSH: 200 with $M then $H carrying the ASF header, 404 for another path', async () => {
    const responder = await startMmshResponder();
    try {
      const ok = await exchange(responder.port, `GET ${SELF_TEST_PATH} HTTP/1.0\r\nHost: x\r\n\r\n`);
      const headEnd = ok.indexOf('\r\n\r\n');
      expect(ok.subarray(0, headEnd).toString('latin1')).toMatch(
        /^HTTP\/1\.0 200 OK\r\n[\s\S]*Server: Cougar\//,
      );
      const frames = readWmspFrames(ok.subarray(headEnd + 4));
      expect(frames.map((f) => f.type)).toEqual(['$M', '$H']);
      expect(frames[1]?.asfHeaderStart).toBe(true);
      const missing = await exchange(responder.port, 'GET /other HTTP/1.0\r\n\r\n');
      expect(missing.toString('latin1')).toMatch(/^HTTP\/1\.0 404 /);
    } finally {
      await responder.close();
    }
  });

  it('RTSP: answers requests in order on one connection, 404 for another path', async () => {
    const responder = await startRtspResponder();
    try {
      const reply = await exchange(
        responder.port,
        `OPTIONS rtsp://127.0.0.1/x RTSP/1.0\r\nCSeq: 1\r\n\r\nDESCRIBE rtsp://127.0.0.1/other RTSP/1.0\r\nCSeq: 2\r\n\r\n`,
        2,
      );
      const text = reply.toString('latin1');
      expect(text).toMatch(/^RTSP\/1\.0 200 OK[\s\S]*CSeq: 1[\s\S]*Public: OPTIONS, DESCRIBE/);
      expect(text).toMatch(/RTSP\/1\.0 404 Not Found[\s\S]*CSeq: 2/);
    } finally {
      await responder.close();
    }
  });

  it('MMS: cuts off a peer that is not an MMS client, and one that floods it', async () => {
    const responder = await startMmsResponder();
    try {
      const garbage = await exchange(responder.port, 'GET / HTTP/1.0\r\n\r\n');
      expect(garbage.length).toBe(0);
      const flood = await exchange(responder.port, Buffer.alloc(RESPONDER_LIMITS.bufferedBytes + 1024, 0));
      expect(flood.length).toBe(0);
    } finally {
      await responder.close();
    }
  });
});

/** Sends bytes, collects the reply until the peer closes (or `replies` RTSP replies have come, then closes). */
function exchange(port: number, request: string | Buffer, replies = 0): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (
        replies > 0 &&
        (Buffer.concat(chunks)
          .toString('latin1')
          .match(/RTSP\/1\.0 \d{3}/g)?.length ?? 0) >= replies
      )
        setTimeout(() => socket.end(), 50);
    });
    socket.on('error', (error) =>
      (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error),
    );
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}
