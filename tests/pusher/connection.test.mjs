// pusher-js (Node build) connecting to /app/{key}: the handshake, and an unknown key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPushServer, client, closeClients, errorCodes, sleep, waitFor } from './helpers.mjs';

let server;
before(async () => { server = await startPushServer(); });
after(async () => { closeClients(); await server?.stop(); });

test('pusher-js connects: state "connected", a socket_id like 1234.5678', async () => {
  const c = await client(server.ws);
  assert.equal(c.pusher.connection.state, 'connected');
  assert.match(c.socketId(), /^\d+\.\d+$/);
  assert.deepEqual(c.errors, []);
  // a second connection gets its own socket id
  const d = await client(server.ws);
  assert.match(d.socketId(), /^\d+\.\d+$/);
  assert.notEqual(d.socketId(), c.socketId());
  c.close();
  d.close();
});

test('pusher-js pings and the server answers pusher:pong', async () => {
  const c = await client(server.ws);
  // what pusher-js sends when activity_timeout passes without a message
  c.pusher.connection.connection.ping();
  await waitFor(() => c.events('pusher:pong').length === 1, { what: 'pusher:pong' });
  assert.equal(c.pusher.connection.state, 'connected');
  c.close();
});

test('an unknown app key: error 4001, and pusher-js does not reconnect', async () => {
  const c = await client(server.ws, { key: 'no-such-key', wait: false });
  await waitFor(() => c.errors.length > 0, { what: 'an error' });
  const codes = errorCodes(c);
  assert.ok(codes.includes(4001), `errors: ${JSON.stringify(c.errors)}`);
  await waitFor(() => c.pusher.connection.state === 'disconnected' || c.pusher.connection.state === 'failed',
    { what: `disconnected (${c.states.join(' > ')})` });
  const before = c.states.length;
  // pusher-js retries after 1 s ("backoff") or at once ("retry"): none must come
  await sleep(3000);
  assert.deepEqual(c.states.slice(before), [], `states: ${c.states.join(' > ')}`);
  // the first "connecting" comes inside new Pusher(), before a listener can be bound: then only this
  assert.deepEqual(c.states, ['disconnected']);
  c.close();
});

test('over max_connections: pusher:error 4100 "over capacity", pusher-js backs off and gets in once there is room', async () => {
  const full = await startPushServer({ max_connections: 1 });
  try {
    const a = await client(full.ws);
    const b = await client(full.ws, { wait: false });
    await waitFor(() => errorCodes(b).includes(4100), { what: `error 4100 (errors: ${JSON.stringify(b.errors)})` });
    // 4100-4199 mean "back off": pusher-js waits before each new attempt instead of retrying at once
    const first = errorCodes(b).length;
    await sleep(2500);
    const refusals = errorCodes(b).filter((x) => x === 4100).length;
    assert.ok(refusals - first <= 4, `${refusals} refusals in 2.5 s: pusher-js did not back off`);
    assert.notEqual(b.pusher.connection.state, 'connected');
    a.close();
    await waitFor(() => b.pusher.connection.state === 'connected', { what: `connected (${b.states.join(' > ')})`, timeout: 5000 });
    assert.match(b.socketId(), /^\d+\.\d+$/);
    b.close();
  } finally {
    await full.stop();
  }
});
