// Laravel Echo 2 over pusher-js, configured as a Laravel app configures it for
// a self-hosted Pusher server; the app side (auth, broadcasting) is startApp().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';
import { startPushServer, startApp, sdk, waitFor, sleep } from './helpers.mjs';

let server, app, api;
const echoes = [];
before(async () => {
  server = await startPushServer();
  app = await startApp(server.ws);
  api = sdk(server.ws);
});
after(async () => {
  for (const e of echoes) e.disconnect();
  await app?.close();
  await server?.stop();
});

/** An Echo instance for the logged-in user (X-User header to the app's endpoints); waits until connected. */
async function echoFor(user) {
  const headers = user === undefined ? {} : { 'X-User': JSON.stringify(user) };
  const echo = new Echo({
    broadcaster: 'pusher',
    key: 'app-key',
    cluster: 'mt1',
    wsHost: '127.0.0.1',
    wsPort: server.ws,
    forceTLS: false,
    enabledTransports: ['ws'],
    authEndpoint: app.url('/broadcasting/auth'),
    auth: { headers },
    Pusher,
  });
  echoes.push(echo);
  await waitFor(() => echo.connectionStatus() === 'connected', { what: 'Echo connected' });
  return echo;
}

/** Resolves once Echo's channel is subscribed (maybe already); rejects on its error(). */
function subscribed(channel) {
  return new Promise((resolve, reject) => {
    if (channel.subscription.subscribed) {
      resolve(channel);
      return;
    }
    const t = setTimeout(() => reject(new Error('no subscription')), 10000);
    channel.subscribed(() => { clearTimeout(t); resolve(channel); });
    channel.error((e) => { clearTimeout(t); reject(new Error(`subscription error: ${JSON.stringify(e)}`)); });
  });
}

/** POST /fire on the app: Laravel's broadcast(), with X-Socket-ID when given (toOthers()). */
async function broadcast(channels, event, data, socketId) {
  const res = await fetch(app.url('/fire'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(socketId ? { 'X-Socket-ID': socketId } : {}) },
    body: JSON.stringify({ channels, event, data }),
  });
  assert.equal(res.status, 200, await res.clone().text());
}

test('Echo channel().listen(".Evt") and listen("Evt") with the App.Events namespace', async () => {
  const echo = await echoFor();
  const got = [];
  const ch = echo.channel('orders').listen('.OrderShipped', (e) => got.push(['dot', e]))
    .listen('OrderShipped', (e) => got.push(['ns', e]));
  await subscribed(ch);
  await broadcast(['orders'], 'OrderShipped', { order: { id: 1 } });
  await broadcast(['orders'], 'App\\Events\\OrderShipped', { order: { id: 2 } });
  await waitFor(() => got.length === 2, { what: 'two events' });
  assert.deepEqual(got, [['dot', { order: { id: 1 } }], ['ns', { order: { id: 2 } }]]);
  echo.disconnect();
});

test('Echo private() is authorized by the app and receives', async () => {
  const echo = await echoFor(1);
  const got = [];
  const ch = echo.private('App.Models.User.1').listen('.Paid', (e) => got.push(e));
  await subscribed(ch);
  await api.trigger('private-App.Models.User.1', 'Paid', { amount: '9.99' });
  await waitFor(() => got.length === 1, { what: 'the event' });
  assert.deepEqual(got, [{ amount: '9.99' }]);
  echo.disconnect();
});

test('Echo private() for a guest: the app says 403, error() is called', async () => {
  const echo = await echoFor(undefined);
  const err = await subscribed(echo.private('secret')).then(() => null, (e) => e);
  assert.ok(err);
  assert.equal(echo.connectionStatus(), 'connected');
  echo.disconnect();
});

test('Echo join(): here, joining, leaving', async () => {
  const a = await echoFor(1);
  const seen = { here: null, joining: [], leaving: [] };
  const room = a.join('chat.1')
    .here((users) => { seen.here = users; })
    .joining((u) => seen.joining.push(u))
    .leaving((u) => seen.leaving.push(u));
  await waitFor(() => seen.here, { what: 'here()' });
  assert.deepEqual(seen.here, [{ name: 'user 1' }]);
  const b = await echoFor(2);
  let hereB = null;
  b.join('chat.1').here((users) => { hereB = users; });
  await waitFor(() => hereB && seen.joining.length === 1, { what: 'here() of b and joining() of a' });
  assert.deepEqual(seen.joining, [{ name: 'user 2' }]);
  assert.deepEqual(hereB.map((u) => u.name).sort(), ['user 1', 'user 2']);
  b.leave('chat.1');
  await waitFor(() => seen.leaving.length === 1, { what: 'leaving()' });
  assert.deepEqual(seen.leaving, [{ name: 'user 2' }]);
  void room;
  a.disconnect();
  b.disconnect();
});

test('Echo whisper() and listenForWhisper() on private and presence channels', async () => {
  const a = await echoFor(1);
  const b = await echoFor(2);
  const gotA = [];
  const gotB = [];
  const pa = a.private('typing.1').listenForWhisper('typing', (e) => gotA.push(e));
  const pb = b.private('typing.1').listenForWhisper('typing', (e) => gotB.push(e));
  await subscribed(pa);
  await subscribed(pb);
  pa.whisper('typing', { name: 'one' });
  await waitFor(() => gotB.length === 1, { what: 'the whisper' });
  assert.deepEqual(gotB, [{ name: 'one' }]);
  pb.whisper('typing', { name: 'two' });
  await waitFor(() => gotA.length === 1, { what: 'the answer' });
  assert.deepEqual(gotA, [{ name: 'two' }]);
  assert.equal(gotB.length, 1, 'a whisper does not come back to its sender');

  const ja = a.join('room.9');
  const jb = b.join('room.9');
  const heard = [];
  jb.listenForWhisper('wave', (e) => heard.push(e));
  await subscribed(ja);
  await subscribed(jb);
  ja.whisper('wave', { hi: true });
  await waitFor(() => heard.length === 1, { what: 'the presence whisper' });
  assert.deepEqual(heard, [{ hi: true }]);
  a.disconnect();
  b.disconnect();
});

test('Echo toOthers(): the X-Socket-ID the app passes as socket_id skips the sender', async () => {
  const a = await echoFor(1);
  const b = await echoFor(2);
  const gotA = [];
  const gotB = [];
  const ca = a.channel('feed').listen('.Posted', (e) => gotA.push(e));
  const cb = b.channel('feed').listen('.Posted', (e) => gotB.push(e));
  await subscribed(ca);
  await subscribed(cb);
  // what axios sends from page a once Echo registered its interceptor
  assert.match(a.socketId(), /^\d+\.\d+$/);
  await broadcast(['feed'], 'Posted', { n: 1 }, a.socketId());
  await waitFor(() => gotB.length === 1, { what: 'b got it' });
  await broadcast(['feed'], 'Posted', { n: 2 });
  await waitFor(() => gotA.length === 1 && gotB.length === 2, { what: 'the second event' });
  await sleep(50);
  assert.deepEqual(gotA, [{ n: 2 }]);
  assert.deepEqual(gotB, [{ n: 1 }, { n: 2 }]);
  a.disconnect();
  b.disconnect();
});
