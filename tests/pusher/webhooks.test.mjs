// Webhooks: POSTed to the app's webhook_url, signed with its secret
// (X-Pusher-Key, X-Pusher-Signature), checked with the `pusher` SDK as an app does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  APP, APP2, startPushServer, startApp, startWebhookReceiver, sdk, client, closeClients, subscribe, waitFor, sleep,
  collect, waitCount,
} from './helpers.mjs';

let server, app, hooks, api;
before(async () => {
  hooks = await startWebhookReceiver();
  server = await startPushServer({ webhook: hooks.url('/hook') });
  app = await startApp(server.ws);
  api = sdk(server.ws);
});
after(async () => { closeClients(); await app?.close(); await server?.stop(); await hooks?.close(); });

/** Every event of every request received so far (valid or not). */
const allEvents = () => hooks.hooks.flatMap((h) => {
  try { return JSON.parse(h.body).events || []; } catch { return []; }
});
const eventsFor = (channel, name) => allEvents().filter((e) => e.channel === channel && (!name || e.name === name));

test('channel_occupied on the first subscriber, channel_vacated when the last left', async () => {
  const a = await client(server.ws);
  const b = await client(server.ws);
  await subscribe(a, 'hooked');
  await subscribe(b, 'hooked');
  await waitFor(() => eventsFor('hooked', 'channel_occupied').length === 1, { what: 'channel_occupied' });
  a.pusher.unsubscribe('hooked');
  await sleep(1500);
  assert.deepEqual(eventsFor('hooked').map((e) => e.name), ['channel_occupied'], 'b is still there');
  b.close();
  await waitFor(() => eventsFor('hooked', 'channel_vacated').length === 1, { what: 'channel_vacated' });
  assert.deepEqual(eventsFor('hooked'), [
    { name: 'channel_occupied', channel: 'hooked' },
    { name: 'channel_vacated', channel: 'hooked' },
  ]);
  a.close();
});

test('member_added once per user, member_removed when its last socket left', async () => {
  const t1 = await client(server.ws, { app, user: 5 });
  const t2 = await client(server.ws, { app, user: 5 });
  const t3 = await client(server.ws, { app, user: 'six' });
  await subscribe(t1, 'presence-hooked');
  await subscribe(t2, 'presence-hooked');
  await subscribe(t3, 'presence-hooked');
  await waitFor(() => eventsFor('presence-hooked', 'member_added').length === 2, { what: 'member_added x2' });
  const added = eventsFor('presence-hooked', 'member_added');
  assert.deepEqual(added.map((e) => String(e.user_id)).sort(), ['5', 'six']);
  for (const e of added) assert.deepEqual(Object.keys(e).sort(), ['channel', 'name', 'user_id']);
  t1.close();
  await sleep(1500);
  assert.equal(eventsFor('presence-hooked', 'member_removed').length, 0, 'user 5 has another socket');
  t2.close();
  await waitFor(() => eventsFor('presence-hooked', 'member_removed').length === 1, { what: 'member_removed' });
  assert.equal(String(eventsFor('presence-hooked', 'member_removed')[0].user_id), '5');
  t3.close();
  await waitFor(() => eventsFor('presence-hooked', 'channel_vacated').length === 1, { what: 'channel_vacated' });
  assert.equal(eventsFor('presence-hooked', 'member_removed').length, 2);
});

test('client_event: channel, event, data, socket_id (and user_id on presence channels)', async () => {
  const a = await client(server.ws, { app, user: 1 });
  const b = await client(server.ws, { app, user: 2 });
  const ch = await subscribe(a, 'private-hooked-chat');
  await subscribe(b, 'private-hooked-chat');
  ch.trigger('client-typing', { who: 'a' });
  await waitFor(() => eventsFor('private-hooked-chat', 'client_event').length === 1, { what: 'client_event' });
  const [e] = eventsFor('private-hooked-chat', 'client_event');
  assert.equal(e.event, 'client-typing');
  // pusher-js sends the data as a JSON object in the frame; Pusher's hook carries it as text
  assert.deepEqual(typeof e.data === 'string' ? JSON.parse(e.data) : e.data, { who: 'a' });
  assert.equal(e.socket_id, a.socketId());
  assert.equal(e.user_id, undefined);

  const p = await subscribe(a, 'presence-hooked-chat');
  await subscribe(b, 'presence-hooked-chat');
  p.trigger('client-wave', '"hi"');
  await waitFor(() => eventsFor('presence-hooked-chat', 'client_event').length === 1, { what: 'client_event' });
  const [pe] = eventsFor('presence-hooked-chat', 'client_event');
  assert.equal(pe.event, 'client-wave');
  assert.equal(pe.socket_id, a.socketId());
  assert.equal(String(pe.user_id), '1');
  a.close();
  b.close();
});

test('cache_miss when a cache channel with nothing cached is subscribed to', async () => {
  const c = await client(server.ws);
  c.pusher.subscribe('cache-hooked');
  await waitFor(() => c.events('pusher:cache_miss', 'cache-hooked').length === 1, { what: 'pusher:cache_miss' });
  await waitFor(() => eventsFor('cache-hooked', 'cache_miss').length === 1, { what: 'the cache_miss webhook' });
  assert.deepEqual(eventsFor('cache-hooked', 'cache_miss'), [{ name: 'cache_miss', channel: 'cache-hooked' }]);
  c.close();
});

test('every webhook request is signed with the app secret and the SDK accepts it', async () => {
  await waitFor(() => hooks.hooks.length > 0, { what: 'a webhook' });
  for (const h of hooks.hooks) {
    assert.equal(h.method, 'POST');
    assert.equal(h.path, '/hook');
    assert.equal(h.headers['content-type'], 'application/json');
    assert.equal(h.headers['x-pusher-key'], APP.key);
    const expected = createHmac('sha256', APP.secret).update(h.body).digest('hex');
    assert.equal(h.headers['x-pusher-signature'], expected);
    const hook = api.webhook({ headers: h.headers, rawBody: h.body });
    assert.ok(hook.isValid(), 'pusher SDK: valid');
    assert.equal(typeof hook.getData().time_ms, 'number');
    assert.ok(Math.abs(hook.getData().time_ms - h.time) < 5000, 'time_ms is now');
    assert.ok(Array.isArray(hook.getEvents()) && hook.getEvents().length > 0);
    // a receiver holding another secret refuses it
    assert.ok(!sdk(server.ws, { ...APP, secret: 'other' }).webhook({ headers: h.headers, rawBody: h.body }).isValid());
  }
});

test('an app without webhook_url sends none', async () => {
  const before = hooks.hooks.length;
  const c = await client(server.ws, { key: APP2.key });
  await subscribe(c, 'app2-quiet');
  c.close();
  await sleep(2000);
  assert.ok(hooks.hooks.slice(before).every((h) => !h.body.includes('app2-quiet')));
});

// ---- floods: what a client without credentials can cause stays bounded (channel_occupied/vacated
// debounced, cache_miss rate-bounded), and never delays member events

test('a subscribe/unsubscribe loop: one channel_occupied, and one channel_vacated once it stayed empty', async () => {
  const c = await client(server.ws);
  for (let i = 0; i < 2000; i++) {
    c.pusher.connection.send_event('pusher:subscribe', { channel: 'flapping' });
    c.pusher.connection.send_event('pusher:unsubscribe', { channel: 'flapping' });
  }
  await waitFor(() => c.events('pusher_internal:subscription_succeeded', 'flapping').length === 2000,
    { what: '2000 subscriptions answered' });
  await waitFor(() => eventsFor('flapping', 'channel_vacated').length > 0, { what: 'channel_vacated' });
  await sleep(1500);
  assert.deepEqual(eventsFor('flapping'), [
    { name: 'channel_occupied', channel: 'flapping' },
    { name: 'channel_vacated', channel: 'flapping' },
  ]);
  c.close();
});

test('subscribing to a cache channel again and again: one cache_miss webhook', async () => {
  const c = await client(server.ws);
  for (let i = 0; i < 500; i++) c.pusher.connection.send_event('pusher:subscribe', { channel: 'cache-missing' });
  await waitFor(() => c.events('pusher:cache_miss', 'cache-missing').length === 500, { what: '500 pusher:cache_miss' });
  await sleep(1500);
  assert.equal(eventsFor('cache-missing', 'cache_miss').length, 1);
  c.close();
});

test('an already joined presence channel again without auth: refused, no member list', async () => {
  const users = [];
  for (let u = 1; u <= 5; u++) {
    const c = await client(server.ws, { app, user: u, userInfo: { name: 'x'.repeat(200) } });
    await subscribe(c, 'presence-amplified');
    users.push(c);
  }
  const [a] = users;
  const before = a.events('pusher_internal:subscription_succeeded', 'presence-amplified').length;
  for (let i = 0; i < 50; i++) a.pusher.connection.send_event('pusher:subscribe', { channel: 'presence-amplified' });
  await waitFor(() => a.events('pusher:subscription_error', 'presence-amplified').length === 50,
    { what: `50 subscription errors (${a.frames.length} frames)` });
  assert.equal(a.events('pusher_internal:subscription_succeeded', 'presence-amplified').length, before,
    'no member list for a subscribe without auth');
  const { data: err } = a.events('pusher:subscription_error', 'presence-amplified')[0];
  assert.equal(err.type, 'AuthError');
  // still subscribed: the others' events reach it
  const got = collect(a.pusher.channel('presence-amplified'), 'news');
  await api.trigger('presence-amplified', 'news', 'still here');
  await waitCount(got, 1, 'news');
  for (const c of users) c.close();
});

test('member_added reaches a slow receiver within 1 s while a client floods channel events', async () => {
  const slow = await startWebhookReceiver({ delay: 3000 });
  const srv = await startPushServer({ webhook: slow.url('/slow') });
  const authApp = await startApp(srv.ws);
  const flooders = [];
  try {
    for (let k = 0; k < 4; k++) flooders.push(await client(srv.ws));
    let n = 0;
    const flood = () => {
      for (const f of flooders) {
        for (let i = 0; i < 200; i++, n++) {
          f.pusher.connection.send_event('pusher:subscribe', { channel: `flood-${n}` });
          f.pusher.connection.send_event('pusher:unsubscribe', { channel: `flood-${n}` });
        }
      }
    };
    flood();
    await waitFor(() => slow.hooks.length > 0, { what: 'the first channel events at the receiver' });
    const timer = setInterval(flood, 100);
    await sleep(1500);
    const u = await client(srv.ws, { app: authApp, user: 'real-user' });
    const t0 = Date.now();
    await subscribe(u, 'presence-real');
    const events = () => slow.hooks.flatMap((h) => JSON.parse(h.body).events);
    await waitFor(() => events().some((e) => e.name === 'member_added' && e.channel === 'presence-real'),
      { what: 'member_added of the real user', timeout: 15000 });
    clearInterval(timer);
    const at = slow.hooks.find((h) => h.body.includes('"member_added"')).time;
    // from the subscription (pusher-js asks the auth endpoint, then subscribes) to the receiver
    const slowdown = Math.max(1, Number(process.env.PUSH_TEST_SLOWDOWN) || 1);
    assert.ok(at - t0 < 1000 * slowdown, `member_added after ${at - t0} ms`);
    u.close();
  } finally {
    for (const f of flooders) f.close();
    await authApp.close();
    await srv.stop();
    await slow.close();
  }
});
