// Protocol details as Pusher has them: socket ids no one can guess, the data
// size limit measured the same for client events as for the HTTP API, the
// pusher:error 4009 before a terminated connection closes, a too large
// presence user_info refused as a limit, a connection without ?protocol=
// closed with 4007. Raw frames where pusher-js would hide the difference.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  APP, startPushServer, startApp, sdk, client, closeClients, subscribe, collect, waitCount, signedIn, errorCodes,
  sleep, waitFor,
} from './helpers.mjs';

let server, app, api;
before(async () => {
  server = await startPushServer();
  app = await startApp(server.ws);
  api = sdk(server.ws);
});
after(async () => { closeClients(); await app?.close(); await server?.stop(); });

/** The data of a pusher:error frame, parsed whether the server sent it as an object or as a JSON string. */
const dataOf = (f) => (typeof f.data === 'string' ? JSON.parse(f.data) : f.data);

/**
 * A WebSocket client of raw frames on path: resolves once the server answered
 * the upgrade, with { status, messages (text frames), close ({code, reason}
 * once a close frame came), send(text), end() }.
 */
function rawSocket(port, path) {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const ws = { status: 0, messages: [], close: null, ended: false };
    let buf = Buffer.alloc(0);
    let upgraded = false;
    let partial = '';
    ws.send = (text) => {
      const payload = Buffer.from(text, 'utf8');
      const mask = randomBytes(4);
      let head;
      if (payload.length < 126) {
        head = Buffer.from([0x81, 0x80 | payload.length]);
      } else if (payload.length < 65536) {
        head = Buffer.alloc(4);
        head[0] = 0x81; head[1] = 0x80 | 126; head.writeUInt16BE(payload.length, 2);
      } else {
        head = Buffer.alloc(10);
        head[0] = 0x81; head[1] = 0x80 | 127; head.writeBigUInt64BE(BigInt(payload.length), 2);
      }
      const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
      sock.write(Buffer.concat([head, mask, body]));
    };
    ws.end = () => sock.destroy();
    const frames = () => {
      for (;;) {
        if (buf.length < 2) return;
        const fin = (buf[0] & 0x80) !== 0;
        const op = buf[0] & 0x0f;
        let len = buf[1] & 0x7f;
        let off = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2); off = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2)); off = 10;
        }
        if (buf.length < off + len) return;
        const payload = buf.subarray(off, off + len);
        buf = buf.subarray(off + len);
        if (op === 0x1 || op === 0x0) {
          partial += payload.toString('utf8');
          if (fin) {
            ws.messages.push(partial);
            partial = '';
          }
        } else if (op === 0x8) {
          ws.close = { code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString('utf8') };
        }
      }
    };
    sock.on('connect', () => {
      sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
        + `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        ws.status = Number(/^HTTP\/1\.1 (\d+)/.exec(buf.subarray(0, end).toString('latin1'))?.[1] || 0);
        buf = buf.subarray(end + 4);
        upgraded = true;
        resolve(ws);
      }
      frames();
    });
    sock.on('close', () => { ws.ended = true; if (!upgraded) reject(new Error('closed before the upgrade')); });
    sock.on('error', (e) => { if (!upgraded) reject(e); });
  });
}

/** The events of a raw socket's messages, parsed. */
const eventsOf = (ws) => ws.messages.map((m) => JSON.parse(m));

test('socket ids are random "digits.digits": no two alike, not counted up, not shared by a node', async () => {
  const cs = [];
  for (let i = 0; i < 8; i++) cs.push(await client(server.ws));
  const ids = cs.map((c) => c.socketId());
  for (const id of ids) assert.match(id, /^[1-9]\d*\.[1-9]\d*$/);
  assert.equal(new Set(ids).size, ids.length, `ids: ${ids}`);
  // neither half is a node number or a counter: 8 random first halves are never all one
  assert.ok(new Set(ids.map((id) => id.split('.')[0])).size > 1, `ids: ${ids}`);
  const tails = ids.map((id) => BigInt(id.split('.')[1])).sort((x, y) => (x < y ? -1 : 1));
  for (let i = 1; i < tails.length; i++) {
    assert.ok(tails[i] - tails[i - 1] > 1000n, `near tails: ${ids}`);
  }
  for (const c of cs) c.close();
});

test('an exclusion with a socket id guessed from one\'s own does not reach another socket', async () => {
  const a = await client(server.ws);
  const b = await client(server.ws);
  await subscribe(a, 'guess-news');
  const chb = await subscribe(b, 'guess-news');
  const got = collect(chb, 'E');
  const [head, tail] = a.socketId().split('.');
  const guesses = [];
  for (let d = -3n; d <= 3n; d++) {
    if (d !== 0n) guesses.push(`${head}.${BigInt(tail) + d}`);
  }
  for (const g of guesses) {
    await api.trigger('guess-news', 'E', { g }, { socket_id: g });
  }
  await waitCount(got, guesses.length, `events with a guessed exclusion (b is ${b.socketId()})`);
  assert.deepEqual(got.map((e) => e.data.g), guesses);
  // the real id still excludes
  await api.trigger('guess-news', 'E', { g: 'not b' }, { socket_id: b.socketId() });
  await api.trigger('guess-news', 'E', { g: 'last' }, {});
  await waitCount(got, guesses.length + 1);
  assert.equal(got.at(-1).data.g, 'last');
  a.close();
  b.close();
});

test('a client event of 10,240 bytes of string data is relayed, as the HTTP API takes it; 10,241 is refused', async () => {
  const a = await client(server.ws, { app, user: 'big-a' });
  const b = await client(server.ws, { app, user: 'big-b' });
  const cha = await subscribe(a, 'private-big');
  const chb = await subscribe(b, 'private-big');
  const got = collect(chb, 'client-big');
  const max = 'x'.repeat(10240);
  // the HTTP API takes it
  const r = await api.trigger('private-big', 'server-big', max);
  assert.equal(r.status, 200);
  cha.trigger('client-big', max);
  await waitCount(got, 1, 'the 10,240-byte client event');
  assert.equal(got[0].data, max);
  cha.trigger('client-big', `${max}y`);
  await waitFor(() => a.events('pusher:error').length === 1, { what: `the refusal: ${a.frames.slice(-1)}` });
  assert.match(dataOf(a.events('pusher:error')[0]).message, /too large/);
  // an object is measured as its JSON text: 10,240 bytes of it pass
  const obj = { s: 'z'.repeat(10240 - 8) };
  assert.equal(JSON.stringify(obj).length, 10240);
  cha.trigger('client-big', obj);
  await waitCount(got, 2, 'the 10,240-byte object');
  assert.deepEqual(got[1].data, obj);
  assert.equal(got.length, 2);
  a.close();
  b.close();
});

test('terminate_connections: the socket gets pusher:error 4009 before the close 4009', async () => {
  const t = await signedIn(server.ws, 'term-raw', { app });
  const r = await api.terminateUserConnections('term-raw');
  assert.equal(r.status, 200);
  await waitFor(() => t.pusher.connection.state !== 'connected', { what: `terminated (${t.states.join(' > ')})` });
  const errs = t.events('pusher:error').map(dataOf);
  assert.deepEqual(errs.map((e) => e.code), [4009], `frames: ${t.frames.slice(-2)}`);
  assert.ok(errorCodes(t).includes(4009), `errors: ${JSON.stringify(t.errors)}`);
  t.close();
});

test('a presence user_info over max_member_info is refused as LimitReached, not AuthError', async () => {
  const big = { name: 'n'.repeat(1100) };
  const c = await client(server.ws, { app, user: 'wide', userInfo: big });
  const err = await subscribe(c, 'presence-wide').then(() => null, (e) => e.data);
  assert.ok(err, 'refused');
  assert.equal(err.type, 'LimitReached', JSON.stringify(err));
  assert.match(err.error, /user_info/);
  // within the limit it is taken
  const d = await client(server.ws, { app, user: 'narrow', userInfo: { name: 'n'.repeat(900) } });
  const ch = await subscribe(d, 'presence-wide');
  assert.equal(ch.members.me.info.name.length, 900);
  c.close();
  d.close();
});

test('no ?protocol= (protocol 1), an old or unknown one: pusher:error 4007 and close 4007; 7 and 5 are served', async () => {
  for (const q of ['', '?client=js&version=8.4.0', '?protocol=', '?protocol=4', '?protocol=8', '?protocol=7x',
    '?protocol=+7', '?protocol=0x7']) {
    const ws = await rawSocket(server.ws, `/app/${APP.key}${q}`);
    await waitFor(() => ws.close || ws.ended, { what: `close of ${q}: ${ws.messages}` });
    ws.end();
    const evs = eventsOf(ws);
    assert.equal(evs.length, 1, `${q}: ${ws.messages}`);
    assert.equal(evs[0].event, 'pusher:error', q);
    assert.equal(dataOf(evs[0]).code, 4007, q);
    assert.equal(ws.close?.code, 4007, `${q}: ${JSON.stringify(ws.close)}`);
  }
  for (const q of ['?protocol=7&client=js&version=8.4.0&flash=false', '?protocol=5']) {
    const ws = await rawSocket(server.ws, `/app/${APP.key}${q}`);
    await waitFor(() => ws.messages.length > 0, { what: `connection_established for ${q}` });
    const [ev] = eventsOf(ws);
    assert.equal(ev.event, 'pusher:connection_established', q);
    assert.match(JSON.parse(ev.data).socket_id, /^\d+\.\d+$/);
    ws.send('{"event":"pusher:ping","data":{}}');
    await waitFor(() => ws.messages.length > 1, { what: `pong for ${q}` });
    assert.equal(eventsOf(ws)[1].event, 'pusher:pong');
    assert.equal(ws.close, null);
    ws.end();
  }
  // pusher-js says protocol=7 and connects
  const c = await client(server.ws);
  assert.equal(c.pusher.connection.state, 'connected');
  await sleep(100);
  assert.deepEqual(c.errors, []);
  c.close();
});
