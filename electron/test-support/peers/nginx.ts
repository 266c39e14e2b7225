// Debian's nginx as the "plain web server on the stream's port" peer: it answers HTTP (and an MMSH Describe
// like any GET) with its own `Server: nginx/<ver>`, no $H framing and no WMS Pragmas.
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { askLocal, freePort, LOOPBACK, PeerProcess, type Peer } from './ports';

const NGINX_BINARY = '/usr/sbin/nginx';
const READY_TIMEOUT_MS = 10_000;

export interface NginxOptions {
  /** Files under the document root, by relative path (`index.html`, `media/a.asx`). Nothing else exists. */
  files?: Record<string, string | Buffer>;
  /** Exact paths answered with `return 302 <location>` (an IIS-style moved page or playlist). */
  redirects?: Record<string, string>;
}

export type NginxPeer = Peer & { serverHeader: string };

/** Why nginx cannot run here, or null when it can. */
export function nginxUnavailable(): string | null {
  return existsSync(NGINX_BINARY) ? null : `${NGINX_BINARY} is missing (Debian package nginx-light or nginx)`;
}

/** The page served at `/` unless `files` replaces it: a web page with the kind of links users paste. */
export function defaultIndexHtml(port: number): string {
  return [
    '<!doctype html>',
    '<html><head><title>Live stream</title></head><body>',
    `<p><a href="mms://${LOOPBACK}/live">Watch live (Windows Media Player)</a></p>`,
    `<p><a href="mms://${LOOPBACK}:${port}/live">Watch live (port ${port})</a></p>`,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * Starts nginx on 127.0.0.1:<free port>, serving `files` (default: an `index.html`); any other path, such as
 * `/live`, is a 404. Resolves once nginx has answered a request; `serverHeader` is what it sent.
 */
export async function startNginx(options: NginxOptions = {}): Promise<NginxPeer> {
  const unavailable = nginxUnavailable();
  if (unavailable) throw new Error(unavailable);
  const port = await freePort();
  // mkdtemp makes the directory 0700; the worker runs as nobody and must read the document root.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'stream-doctor-nginx-'));
  await chmod(dir, 0o755);
  const root = path.join(dir, 'www');
  await mkdir(root, { mode: 0o755 });
  await mkdir(path.join(dir, 'temp'), { mode: 0o755 });
  const files = options.files ?? { 'index.html': defaultIndexHtml(port) };
  for (const [name, content] of Object.entries(files)) {
    const target = path.resolve(root, name);
    if (!target.startsWith(root + path.sep))
      throw new Error(`nginx file ${name} is outside the document root`);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
    await writeFile(target, content, { mode: 0o644 });
  }
  const configPath = path.join(dir, 'nginx.conf');
  await writeFile(
    configPath,
    nginxConfig(dir, root, port, process.getuid?.() === 0, options.redirects ?? {}),
  );

  // -e: before reading the config nginx opens its default error log (/var/log/nginx), which a non-root user
  // cannot; stderr also lands in PeerProcess's tail for error messages.
  const nginx = new PeerProcess('nginx', NGINX_BINARY, ['-p', `${dir}/`, '-c', configPath, '-e', 'stderr']);
  const close = async (): Promise<void> => {
    // SIGTERM is nginx's fast shutdown: the master stops its worker and exits.
    await nginx.stop('SIGTERM', 3000);
    await rm(dir, { recursive: true, force: true });
  };
  let serverHeader = '';
  const isReady = async (): Promise<boolean> => {
    const reply = await askLocal(
      port,
      `GET / HTTP/1.0\r\nHost: ${LOOPBACK}:${port}\r\n\r\n`,
      (bytes) => bytes.includes('\r\n\r\n'),
      1000,
    );
    const head = reply.toString('latin1');
    serverHeader = /\r\nServer:[ \t]*([^\r\n]*)/i.exec(head)?.[1]?.trim() ?? '';
    return head.startsWith('HTTP/1.') && serverHeader !== '';
  };
  try {
    await nginx.waitUntil(isReady, READY_TIMEOUT_MS, `answering on ${LOOPBACK}:${port}`);
  } catch (error) {
    await close();
    throw error;
  }
  return { port, url: `http://${LOOPBACK}:${port}/`, serverHeader, close };
}

function nginxConfig(
  dir: string,
  root: string,
  port: number,
  asRoot: boolean,
  redirects: Record<string, string>,
): string {
  for (const [from, to] of Object.entries(redirects)) {
    // Both end up inside the config file: only plain URL characters, so a test cannot break its syntax.
    if (!/^\/[\w./-]*$/.test(from) || !/^[\w.:/?=&%[\]-]+$/.test(to))
      throw new Error(`nginx redirect ${from} -> ${to} has characters the config cannot take`);
  }
  const temp = (name: string): string => path.join(dir, 'temp', name);
  return [
    'daemon off;',
    'master_process on;',
    'worker_processes 1;',
    // The master binds as root; the worker that parses requests drops to nobody.
    ...(asRoot ? ['user nobody nogroup;'] : []),
    `pid ${path.join(dir, 'nginx.pid')};`,
    'error_log stderr warn;',
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${temp('client_body')};`,
    `  proxy_temp_path ${temp('proxy')};`,
    `  fastcgi_temp_path ${temp('fastcgi')};`,
    `  uwsgi_temp_path ${temp('uwsgi')};`,
    `  scgi_temp_path ${temp('scgi')};`,
    '  types {',
    '    text/html html htm;',
    '    text/plain txt;',
    '    video/x-ms-asf asf asx;',
    '    video/x-ms-wmv wmv;',
    '    audio/x-ms-wma wma;',
    '  }',
    '  default_type application/octet-stream;',
    '  server {',
    `    listen ${LOOPBACK}:${port};`,
    '    server_name localhost;',
    `    root ${root};`,
    '    index index.html;',
    ...Object.entries(redirects).map(([from, to]) => `    location = ${from} { return 302 ${to}; }`),
    '  }',
    '}',
    '',
  ].join('\n');
}
