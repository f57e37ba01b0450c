// The HTTP API through the `pusher` SDK: channel queries, batch triggers, signing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  APP, APP2, startPushServer, startApp, sdk, client, closeClients, subscribe, collect, waitCount, sleep,
} from './helpers.mjs';

let server, app, api;
let subs = [];
before(async () => {
  server = await startPushServer();
  app = await startApp(server.ws);
  api = sdk(server.ws);
  // presence-lobby: users 1 (two sockets) and "2"; private-desk: one socket; news: two sockets
  const specs = [
    [1, ['presence-lobby', 'news']], [1, ['presence-lobby']], ['2', ['presence-lobby', 'news']], [3, ['private-desk']],
    [4, ['presence-other']],
  ];
  for (const [user, channels] of specs) {
    const c = await client(server.ws, { app, user });
    for (const ch of channels) await subscribe(c, ch);
    subs.push(c);
  }
});
after(async () => { closeClients(); await app?.close(); await server?.stop(); });

const body = async (res) => JSON.parse(await res.text());

test('GET /channels: every occupied channel', async () => {
  const res = await api.get({ path: '/channels' });
  assert.equal(res.status, 200);
  const { channels } = await body(res);
  assert.deepEqual(Object.keys(channels).sort(), ['news', 'presence-lobby', 'presence-other', 'private-desk']);
  for (const v of Object.values(channels)) assert.deepEqual(v, {});
});

test('GET /channels with filter_by_prefix=presence- and info=user_count', async () => {
  const res = await api.get({ path: '/channels', params: { filter_by_prefix: 'presence-', info: 'user_count' } });
  assert.equal(res.status, 200);
  assert.deepEqual(await body(res), { channels: { 'presence-lobby': { user_count: 2 }, 'presence-other': { user_count: 1 } } });
  const priv = await body(await api.get({ path: '/channels', params: { filter_by_prefix: 'private-' } }));
  assert.deepEqual(priv, { channels: { 'private-desk': {} } });
});

test('GET /channels with info=user_count but no presence- prefix: 400', async () => {
  const err = await api.get({ path: '/channels', params: { info: 'user_count' } }).then(() => null, (e) => e);
  assert.ok(err, 'must be refused');
  assert.equal(err.status, 400);
});

test('GET /channels/{channel} with info: occupied, subscription_count, user_count', async () => {
  const p = await body(await api.get({ path: '/channels/presence-lobby', params: { info: 'subscription_count,user_count' } }));
  assert.deepEqual(p, { occupied: true, subscription_count: 3, user_count: 2 });
  const n = await body(await api.get({ path: '/channels/news', params: { info: 'subscription_count' } }));
  assert.deepEqual(n, { occupied: true, subscription_count: 2 });
  const plain = await body(await api.get({ path: '/channels/news' }));
  assert.deepEqual(plain, { occupied: true });
  const none = await body(await api.get({ path: '/channels/nobody-here', params: { info: 'subscription_count' } }));
  assert.equal(none.occupied, false);
  assert.ok(none.subscription_count === undefined || none.subscription_count === 0, JSON.stringify(none));
});

test('GET /channels/{channel}/users: the distinct users of a presence channel', async () => {
  const res = await api.get({ path: '/channels/presence-lobby/users' });
  assert.equal(res.status, 200);
  const { users } = await body(res);
  assert.deepEqual(users.map((u) => String(u.id)).sort(), ['1', '2']);
  for (const u of users) assert.deepEqual(Object.keys(u), ['id']);
  // only presence channels have users
  const err = await api.get({ path: '/channels/news/users' }).then(() => null, (e) => e);
  assert.ok(err);
  assert.equal(err.status, 400);
});

test('POST /events answers 200 {}', async () => {
  const res = await api.trigger('news', 'Ping', '1');
  assert.equal(res.status, 200);
  assert.deepEqual(await body(res), {});
});

test('POST /events with info=subscription_count: the count of each channel', async () => {
  const withInfo = await body(await api.trigger(['news', 'private-desk'], 'Ping', '2', { info: 'subscription_count' }));
  assert.deepEqual(withInfo, { channels: { news: { subscription_count: 2 }, 'private-desk': { subscription_count: 1 } } });
});

test('POST /batch_events: each event to its channel', async () => {
  const a = await client(server.ws);
  const ch1 = await subscribe(a, 'batch-1');
  const ch2 = await subscribe(a, 'batch-2');
  const g1 = collect(ch1, 'B');
  const g2 = collect(ch2, 'B');
  const res = await api.triggerBatch([
    { channel: 'batch-1', name: 'B', data: { n: 1 } },
    { channel: 'batch-2', name: 'B', data: '{"n":2}' },
    { channel: 'batch-1', name: 'B', data: 'three' },
  ]);
  assert.equal(res.status, 200);
  await waitCount(g1, 2);
  await waitCount(g2, 1);
  assert.deepEqual(g1.map((e) => e.data), [{ n: 1 }, 'three']);
  assert.deepEqual(g2.map((e) => e.data), [{ n: 2 }]);
  a.close();
});

test('a wrong secret: 401, and nothing is delivered', async () => {
  const c = await client(server.ws);
  const ch = await subscribe(c, 'guarded');
  const got = collect(ch, 'X');
  const bad = sdk(server.ws, { ...APP, secret: 'not-the-secret' });
  const err = await bad.trigger('guarded', 'X', '"forged"').then(() => null, (e) => e);
  assert.ok(err, 'must be refused');
  assert.equal(err.status, 401);
  const qerr = await bad.get({ path: '/channels' }).then(() => null, (e) => e);
  assert.equal(qerr?.status, 401);
  // another app's secret is wrong too
  const other = sdk(server.ws, { ...APP, secret: APP2.secret });
  assert.equal((await other.trigger('guarded', 'X', '"other"').then(() => null, (e) => e))?.status, 401);
  await api.trigger('guarded', 'X', '"real"');
  await waitCount(got, 1);
  await sleep(100);
  assert.deepEqual(got.map((e) => e.data), ['real']);
  c.close();
});

test('an unknown app id: refused', async () => {
  const err = await sdk(server.ws, { id: 'no-app', key: APP.key, secret: APP.secret }).trigger('news', 'X', '1')
    .then(() => null, (e) => e);
  assert.ok(err, 'must be refused');
  assert.ok([401, 403, 404].includes(err.status), `status ${err.status}`);
});

test('a body that does not match body_md5: 401', async () => {
  // signed for one body, sent with another: what a proxy tampering with the request looks like
  const path = `/apps/${APP.id}/events`;
  const signed = JSON.stringify({ name: 'X', channels: ['news'], data: '1' });
  const qs = api.createSignedQueryString({ method: 'POST', path, body: signed });
  const res = await fetch(`http://127.0.0.1:${server.ws}${path}?${qs}`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'X', channels: ['news'], data: '2' }),
  });
  assert.equal(res.status, 401);
});

test('app2 has its own channels: the first app\'s are not listed', async () => {
  const other = sdk(server.ws, APP2);
  const { channels } = await body(await other.get({ path: '/channels' }));
  assert.deepEqual(channels, {});
  void subs;
});
