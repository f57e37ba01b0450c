// Shared pieces of the Pusher protocol tests: the push server (PHP child), an
// application server that authorizes channels and users with the `pusher` SDK
// as a Laravel app does, pusher-js clients that keep every frame they get, a
// webhook receiver, a Redis for cluster mode.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createTcpServer, connect } from 'node:net';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Pusher from 'pusher-js';
import PusherSdk from 'pusher';
import nacl from 'tweetnacl';

export const HERE = dirname(fileURLToPath(import.meta.url));
import { ROOT, php, startPhp, sleep, waitFor } from '../inc/php_child.mjs';

export { ROOT, php, sleep, waitFor };

/** The two apps every test server has: the first allows client events and posts webhooks, app2 does neither. */
export const APP = { id: 'app-id', key: 'app-key', secret: 'app-secret' };
export const APP2 = { id: 'app2', key: 'key2', secret: 'secret2' };

/** The end-to-end encryption master key of APP (private-encrypted- channels): the app's, never the server's. */
export const MASTER_KEY = randomBytes(32).toString('base64');



/**
 * Starts fixtures/server.php with the two apps (APP with client events and,
 * when webhook is given, its webhooks to that URL; APP2 without either), plus
 * options. Resolves with { ws, text, stop(), output }.
 */
export async function startPushServer({ webhook, pusher = {}, ...options } = {}) {
  const app1 = { ...APP, client_events: true };
  if (webhook) app1.webhook_url = webhook;
  const all = { pusher: { apps: [app1, { ...APP2 }], ...pusher }, ...options };
  const proc = await startPhp([join(HERE, 'fixtures', 'server.php')], {
    env: { PUSH_TEST_OPTIONS: JSON.stringify(all) },
    ready: /READY ws=(\d+) text=(\d+)/,
  });
  proc.ws = Number(proc.match[1]);
  proc.text = Number(proc.match[2]);
  return proc;
}

/** The `pusher` server SDK for app (APP by default) against the push server on port. */
export function sdk(port, app = APP, extra = {}) {
  return new PusherSdk({
    appId: app.id, key: app.key, secret: app.secret,
    host: '127.0.0.1', port: String(port), useTLS: false,
    ...(app.id === APP.id ? { encryptionMasterKeyBase64: MASTER_KEY } : {}),
    ...extra,
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function listen(server) {
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

/**
 * The application: what a Laravel app does for Broadcasting, with the `pusher`
 * SDK against the push server on pushPort.
 *   POST /broadcasting/auth        channel authorization (form socket_id, channel_name)
 *   POST /broadcasting/user-auth   user authentication for pusher:signin (form socket_id)
 *   POST /fire                     JSON {channels, event, data}: triggers it, except to the
 *                                  socket of the X-Socket-ID header (Laravel's toOthers())
 * The logged-in user is the X-User header (JSON: 7 or "7"), its user_info X-User-Info
 * (JSON); no X-User: 403. ?app=<key> picks the app (APP by default). X-Forge: 1 signs
 * with a wrong secret, as someone without the app secret would.
 */
export async function startApp(pushPort) {
  const apps = [APP, APP2];
  const real = Object.fromEntries(apps.map((a) => [a.key, sdk(pushPort, a)]));
  const forged = Object.fromEntries(apps.map((a) => [a.key, sdk(pushPort, { ...a, secret: `${a.secret}-guessed` })]));
  const requests = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const body = await readBody(req);
    requests.push({ path: url.pathname, headers: req.headers, body });
    const send = (status, obj) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    const key = url.searchParams.get('app') || APP.key;
    const pusher = (req.headers['x-forge'] ? forged : real)[key];
    const user = req.headers['x-user'] !== undefined ? JSON.parse(req.headers['x-user']) : undefined;
    const info = req.headers['x-user-info'] !== undefined ? JSON.parse(req.headers['x-user-info']) : { name: `user ${user}` };
    try {
      if (url.pathname === '/broadcasting/auth') {
        const form = new URLSearchParams(body);
        const socketId = form.get('socket_id');
        const channel = form.get('channel_name');
        if (user === undefined) return send(403, { message: 'Unauthenticated.' });
        const data = channel.startsWith('presence-')
          ? pusher.authorizeChannel(socketId, channel, { user_id: user, user_info: info })
          : pusher.authorizeChannel(socketId, channel);
        return send(200, data);
      }
      if (url.pathname === '/broadcasting/user-auth') {
        const socketId = new URLSearchParams(body).get('socket_id');
        if (user === undefined) return send(403, { message: 'Unauthenticated.' });
        return send(200, pusher.authenticateUser(socketId, { id: String(user), user_info: info }));
      }
      if (url.pathname === '/fire') {
        const { channels, event, data } = JSON.parse(body);
        const socket = req.headers['x-socket-id'];
        const r = await pusher.trigger(channels, event, data, socket ? { socket_id: socket } : undefined);
        return send(200, { status: r.status });
      }
      send(404, { message: 'Not Found' });
    } catch (e) {
      send(500, { message: String(e), body: e.body });
    }
  });
  const app = await listen(server);
  app.requests = requests;
  return app;
}

const clients = new Set();

/**
 * A pusher-js client (Node build) on the push server's port, as an app
 * configures it for a self-hosted server. Options: key (APP's by default),
 * app (startApp()'s server: auth endpoints), appKey (?app= of the endpoints),
 * user / userInfo / forge (headers to the endpoints), wait (false: do not wait
 * for "connected"), and any pusher-js option. Returns { pusher, frames
 * (every frame received after the handshake, as text), states, errors, sent }.
 */
export async function client(port, { key = APP.key, app, appKey, user, userInfo, forge, wait = true, ...options } = {}) {
  const headers = {};
  if (user !== undefined) headers['X-User'] = JSON.stringify(user);
  if (userInfo !== undefined) headers['X-User-Info'] = JSON.stringify(userInfo);
  if (forge) headers['X-Forge'] = '1';
  const q = appKey ? `?app=${encodeURIComponent(appKey)}` : '';
  const pusher = new Pusher(key, {
    wsHost: '127.0.0.1',
    wsPort: port,
    forceTLS: false,
    enabledTransports: ['ws'],
    cluster: 'mt1',
    nacl,
    ...(app ? {
      channelAuthorization: { endpoint: app.url(`/broadcasting/auth${q}`), transport: 'ajax', headers },
      userAuthentication: { endpoint: app.url(`/broadcasting/user-auth${q}`), transport: 'ajax', headers },
    } : {}),
    ...options,
  });
  const c = { pusher, frames: [], states: [], errors: [], sent: [] };
  pusher.connection.bind('state_change', (s) => c.states.push(s.current));
  pusher.connection.bind('error', (e) => c.errors.push(e));
  pusher.connection.bind('connected', () => {
    const transport = pusher.connection.connection.transport;
    transport.bind('message', (m) => c.frames.push(m.data));
    const send = transport.send.bind(transport);
    transport.send = (data) => { c.sent.push(data); return send(data); };
  });
  /** The frames received so far, parsed (data stays the JSON string it is in the frame); filtered by event (and channel). */
  c.events = (event, channel) => c.frames.map((f) => JSON.parse(f))
    .filter((f) => (event === undefined || f.event === event) && (channel === undefined || f.channel === channel));
  c.socketId = () => pusher.connection.socket_id;
  c.close = () => { pusher.disconnect(); clients.delete(c); };
  clients.add(c);
  if (wait) {
    await waitFor(() => pusher.connection.state === 'connected', { what: `pusher-js ${key} connected (${c.states.join(' > ')})` });
  }
  return c;
}

/**
 * A client on port signed in as user (pusher-js signin(): with options.app, that app's user-auth endpoint;
 * other options go to client()); resolves once the server said pusher:signin_success and confirmed
 * #server-to-user-<user>. The user events named event gather in c.got.
 */
export async function signedIn(port, user, { event = 'Notice', ...options } = {}) {
  const c = await client(port, { user, ...options });
  c.got = [];
  c.pusher.user.bind(event, (data) => c.got.push(data));
  c.pusher.signin();
  await waitFor(() => c.events('pusher:signin_success').length === 1, { what: `signin of ${user}: ${c.frames}` });
  // pusher-js then subscribes to #server-to-user-<id>; wait until the server confirmed it
  await waitFor(() => c.pusher.user.serverToUserChannel?.subscribed, { what: `#server-to-user-${user} subscribed: ${c.frames}` });
  return c;
}

/** The Pusher error codes among what pusher-js emitted as errors (PusherError, or one wrapped in a WebSocketError). */
export function errorCodes(c) {
  return c.errors.map((e) => e?.data?.code ?? e?.error?.data?.code).filter((x) => x !== undefined);
}

/** Disconnects every client still open (after() of each file). */
export function closeClients() {
  for (const c of clients) c.close();
}

/**
 * Subscribes c to a channel; resolves with the channel once the server
 * confirmed it (pusher:subscription_succeeded), rejects with the error data
 * on pusher:subscription_error.
 */
export function subscribe(c, name, { timeout = 10000 } = {}) {
  const ch = c.pusher.subscribe(name);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer to the subscription to ${name}`)), timeout);
    ch.bind('pusher:subscription_succeeded', (data) => { clearTimeout(t); ch.succeeded = data; resolve(ch); });
    ch.bind('pusher:subscription_error', (err) => {
      clearTimeout(t);
      const e = new Error(`subscription to ${name} refused: ${JSON.stringify(err)}`);
      e.data = err;
      e.channel = ch;
      reject(e);
    });
  });
}

/** Records what a channel emits for event in an array: [{ data, meta }]. */
export function collect(ch, event) {
  const got = [];
  ch.bind(event, (data, meta) => got.push({ data, meta }));
  return got;
}

/** Waits until arr has at least n entries. */
export function waitCount(arr, n, what = 'events', timeout = 10000) {
  return waitFor(() => arr.length >= n, { timeout, what: `${n} ${what} (got ${arr.length})` }).then(() => arr);
}

/**
 * A webhook receiver: every POST is kept as { headers, body, time } in hooks;
 * events() is every event of every valid (signed) request; delay (ms) makes it answer each POST that late.
 */
export async function startWebhookReceiver({ delay = 0 } = {}) {
  const hooks = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    hooks.push({ method: req.method, path: req.url, headers: req.headers, body, time: Date.now() });
    if (delay) await sleep(delay);   // a slow receiver: answers each POST only after delay ms
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  const r = await listen(server);
  r.hooks = hooks;
  return r;
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

/** One Redis command (inline form); resolves with the raw reply text. */
function redisCmd(port, line) {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(`${line}\r\n`));
    sock.on('data', (d) => {
      buf += d;
      if (buf.endsWith('\r\n')) { sock.end(); resolve(buf); }
    });
    sock.on('error', reject);
    sock.setTimeout(2000, () => { sock.destroy(); reject(new Error('redis timeout')); });
  });
}

/** A real redis-server on a free port (no persistence); resolves with { port, url, stop() }. */
export async function startRedis() {
  const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((b) => existsSync(b)) || 'redis-server';
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const done = new Promise((r) => child.on('exit', r));
  let exited = false;
  done.then(() => { exited = true; });
  await waitFor(async () => {
    if (exited) throw new Error(`redis-server exited: ${output}`);
    try { return (await redisCmd(port, 'PING')).startsWith('+PONG'); } catch { return false; }
  }, { what: 'redis-server' });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => { if (!exited) { child.kill('SIGTERM'); await done; } },
  };
}
