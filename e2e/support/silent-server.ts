// A TCP server on 127.0.0.1 that accepts and reads but never answers: every probe to it waits out its
// timeout, so a run against it is still going when the test presses Cancel. It counts open connections,
// which is how the test sees that a cancel left no probe running.
import net from 'node:net';

export interface SilentServer {
  port: number;
  openConnections(): number;
  totalConnections(): number;
  close(): Promise<void>;
}

export function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  let total = 0;
  const server = net.createServer((socket) => {
    total++;
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || address === null) return reject(new Error('no port'));
      resolve({
        port: address.port,
        openConnections: () => sockets.size,
        totalConnections: () => total,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
