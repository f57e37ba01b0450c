// Shared pieces of the browser tests: push server and PHP children, a static
// file server, the Text protocol, and Chromium through playwright-core.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const HERE = dirname(fileURLToPath(import.meta.url));
import { ROOT, php, startPhp, sleep, waitFor } from '../inc/php_child.mjs';

export { ROOT, php, sleep, waitFor };
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';


/**
 * Starts tests/browser/fixtures/server.php with Push\Server options; ports
 * default to 0 (free ones). Resolves with { ws, text, stop(), output }.
 */
export async function startPushServer(options = {}) {
  const proc = await startPhp([join(HERE, 'fixtures', 'server.php')], {
    env: { PUSH_TEST_OPTIONS: JSON.stringify(options) },
    ready: /READY ws=(\d+) text=(\d+)/,
  });
  proc.ws = Number(proc.match[1]);
  proc.text = Number(proc.match[2]);
  proc.options = options;
  return proc;
}

/** Runs a PHP script file or -r code and returns its stdout. */
export function runPhp(args, { ini = {} } = {}) {
  const [bin, extArgs] = php();
  const iniArgs = Object.entries(ini).flatMap(([k, v]) => ['-d', `${k}=${v}`]);
  return execFileSync(bin, [...extArgs, ...iniArgs, ...args], { encoding: 'utf8', cwd: ROOT });
}

/** Writes one line to a Text port and resolves with the answer line. */
export function textSend(port, line) {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(line.endsWith('\n') ? line : line + '\n'));
    sock.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\n');
      if (i >= 0) {
        sock.end();
        resolve(buf.slice(0, i));
      }
    });
    sock.on('error', reject);
    sock.setTimeout(5000, () => { sock.destroy(); reject(new Error('Text port timeout')); });
  });
}

/** A free TCP port on 127.0.0.1 (for servers that cannot bind port 0 themselves). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createTcpServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.css': 'text/css' };

/**
 * A static HTTP server on a free port: /client/* from client/, and the given
 * pages ({ '/path': 'html' }). Resolves with { url(path), close() }.
 */
export function serveStatic(pages = {}) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (Object.hasOwn(pages, path)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(pages[path]);
      return;
    }
    if (path.startsWith('/client/')) {
      const file = normalize(join(ROOT, path));
      if (file.startsWith(join(ROOT, 'client')) && existsSync(file)) {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(readFileSync(file));
        return;
      }
    }
    res.writeHead(404);
    res.end('not found');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        port,
        url: (p = '/') => `http://127.0.0.1:${port}${p}`,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}

/** Starts Chromium with a fresh profile; resolves with { context, newPage(), close() }. */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'push-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      page.on('pageerror', (e) => { process.stderr.write(`[page error] ${e.message}\n`); });
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * An HTML page that imports push.js and records everything it emits in
 * window.log: [event, ...args]. window.push is the client, made by
 * window.start(options) (options.url defaults to wsUrl).
 */
export function clientPage(wsUrl) {
  return `<!doctype html><meta charset="utf-8"><title>push.js test</title>
<script type="module">
import { PushClient } from '/client/push.js';
window.log = [];
window.start = (options) => {
  window.push = new PushClient(Object.assign({ url: ${JSON.stringify(wsUrl)} }, options));
  for (const ev of ['open', 'message', 'close', 'reconnect', 'gap', 'refused', 'error']) {
    window.push.on(ev, (...args) => window.log.push([ev, ...args.map((a) => (a instanceof Error ? String(a) : a))]));
  }
};
window.ready = true;
</script>`;
}

/** The events of one kind the page recorded so far. */
export function events(page, name) {
  return page.evaluate((n) => window.log.filter((e) => e[0] === n).map((e) => e.slice(1)), name);
}

/**
 * Opens the clientPage() served at site's "/" and starts a PushClient with
 * options. setup (a function run in the page first) may stub things.
 */
export async function openClient(browser, site, options, setup) {
  const page = await browser.newPage();
  await page.goto(site.url('/'));
  await page.waitForFunction(() => window.ready);
  if (setup) await page.evaluate(setup);
  await page.evaluate((o) => window.start(o), options);
  return page;
}

/** Waits until the page recorded n events of a kind; returns them. */
export function waitEvents(page, name, n, timeout = 10000) {
  return waitFor(async () => {
    const ev = await events(page, name);
    return ev.length >= n ? ev : null;
  }, { timeout, what: `${n} "${name}" event(s)` });
}

/** Waits until uid has a bound connection (Text command isUidOnline). */
export function waitOnline(port, uid, timeout = 10000) {
  return waitFor(async () => JSON.parse(await textSend(port, JSON.stringify({ cmd: 'isUidOnline', uid }))).online,
    { timeout, what: `${uid} online` });
}
