import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface RawServer {
  port: number;
  url(path: string): string;
  /** Connections accepted so far. */
  connections(): number;
  /** Bytes written to all sockets so far. */
  bytesSent(): number;
  close(): Promise<void>;
}

/**
 * A node:net server on 127.0.0.1 that hands each connection to `onSocket` once the request
 * head has arrived: for answers node:http refuses to write (bad status lines, trickled headers).
 */
export async function startRawServer(onSocket: (socket: Socket, request: string) => void): Promise<RawServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let closedBytes = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      closedBytes += socket.bytesWritten;
      sockets.delete(socket);
    });
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      onSocket(socket, head);
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    connections: () => accepted,
    bytesSent: () => closedBytes + [...sockets].reduce((sum, socket) => sum + socket.bytesWritten, 0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes `text` one byte per `everyMs`, at most `maxBytes` bytes, stopping when the peer goes away. */
export function trickle(socket: Socket, text: string, everyMs: number, maxBytes = 10_000): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= Math.min(text.length, maxBytes)) {
      clearInterval(timer);
      return;
    }
    socket.write(text[i++]);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}
