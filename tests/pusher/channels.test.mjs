// Public, private, private-encrypted- and cache- channels: pusher-js subscribes,
// the `pusher` SDK triggers through the HTTP API, as a Laravel app does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  APP, startPushServer, startApp, sdk, client, closeClients, subscribe, collect, waitCount, sleep, waitFor,
} from './helpers.mjs';

let server, app, api;
before(async () => {
  server = await startPushServer();
  app = await startApp(server.ws);
  api = sdk(server.ws);
});
after(async () => { closeClients(); await app?.close(); await server?.stop(); });

test('public channel: an event triggered with the SDK arrives, its data byte for byte', async () => {
  const c = await client(server.ws);
  const ch = await subscribe(c, 'news');
  const got = collect(ch, 'Published');
  // JSON text as an app encodes it: the server must not re-encode it (1.50, \u00e9, spacing, key order)
  const data = '{"z":1.50,"a":"caf\\u00e9 \\"quoted\\" \u00e9 \u{1F600} </script>","n":[ 1,2 ],"big":12345678901234567890}';
  const r = await api.trigger('news', 'Published', data);
  assert.equal(r.status, 200);
  await waitCount(got, 1);
  const frame = c.events('Published', 'news');
  assert.equal(frame.length, 1);
  assert.deepEqual(Object.keys(frame[0]).sort(), ['channel', 'data', 'event']);
  assert.equal(frame[0].data, data, 'data is the string the app sent');
  assert.deepEqual(got[0].data, JSON.parse(data));
  // data that is not JSON is a string as well, passed as it is
  await api.trigger('news', 'Published', 'plain text, \u2028 not JSON {');
  await waitCount(got, 2);
  assert.equal(got[1].data, 'plain text, \u2028 not JSON {');
  // an object is JSON-encoded by the SDK
  await api.trigger('news', 'Published', { percent: 88, list: [1, 'a/b'] });
  await waitCount(got, 3);
  assert.equal(c.events('Published', 'news')[2].data, '{"percent":88,"list":[1,"a/b"]}');
  c.close();
});

test('public channel: unsubscribed, nothing more arrives', async () => {
  const c = await client(server.ws);
  const ch = await subscribe(c, 'leaving');
  const got = collect(ch, 'e');
  await api.trigger('leaving', 'e', '1');
  await waitCount(got, 1);
  c.pusher.unsubscribe('leaving');
  // the unsubscribe and a later subscription go out in order: once the later one succeeded, the first was done
  await subscribe(c, 'marker');
  await api.trigger('leaving', 'e', '2');
  await api.trigger('marker', 'e', 'm');
  await waitFor(() => c.events('e', 'marker').length === 1, { what: 'the marker event' });
  assert.equal(c.events('e', 'leaving').length, 1);
  c.close();
});

test('one trigger on many channels: each subscriber gets it once per channel it is on', async () => {
  const a = await client(server.ws);
  const b = await client(server.ws);
  await subscribe(a, 'multi-1');
  await subscribe(a, 'multi-2');
  await subscribe(b, 'multi-3');
  await subscribe(b, 'multi-1');
  await api.trigger(['multi-1', 'multi-2', 'multi-3', 'multi-nobody'], 'Fan', '{"x":1}');
  await waitFor(() => a.events('Fan').length >= 2 && b.events('Fan').length >= 2, { what: 'the events' });
  await api.trigger('multi-2', 'End', '0');
  await waitFor(() => a.events('End').length === 1, { what: 'the end marker' });
  assert.deepEqual(a.events('Fan').map((f) => f.channel).sort(), ['multi-1', 'multi-2']);
  assert.deepEqual(b.events('Fan').map((f) => f.channel).sort(), ['multi-1', 'multi-3']);
  for (const f of [...a.events('Fan'), ...b.events('Fan')]) assert.equal(f.data, '{"x":1}');
  a.close();
  b.close();
});

test('socket_id in a trigger skips that socket (Laravel\'s toOthers())', async () => {
  const a = await client(server.ws);
  const b = await client(server.ws);
  const cha = await subscribe(a, 'others');
  const chb = await subscribe(b, 'others');
  const gotA = collect(cha, 'Said');
  const gotB = collect(chb, 'Said');
  await api.trigger('others', 'Said', '"first"', { socket_id: a.socketId() });
  await waitCount(gotB, 1);
  await api.trigger('others', 'Said', '"second"');
  await waitCount(gotA, 1);
  await waitCount(gotB, 2);
  assert.deepEqual(gotA.map((e) => e.data), ['second']);
  assert.deepEqual(gotB.map((e) => e.data), ['first', 'second']);
  a.close();
  b.close();
});

test('private channel: authorized by the app, the subscription succeeds and events arrive', async () => {
  const c = await client(server.ws, { app, user: 7 });
  const ch = await subscribe(c, 'private-orders.7');
  assert.ok(ch.subscribed);
  const got = collect(ch, 'OrderShipped');
  await api.trigger('private-orders.7', 'OrderShipped', '{"id":42}');
  await waitCount(got, 1);
  assert.deepEqual(got[0].data, { id: 42 });
  // the auth request pusher-js made: the form Laravel reads
  const req = app.requests.find((r) => r.path === '/broadcasting/auth' && r.body.includes('private-orders.7'));
  const form = new URLSearchParams(req.body);
  assert.equal(form.get('socket_id'), c.socketId());
  c.close();
});

test('private channel with a forged auth: pusher:subscription_error, and the socket stays connected', async () => {
  const c = await client(server.ws, { app, user: 7, forge: true });
  const err = await subscribe(c, 'private-orders.8').then(() => null, (e) => e);
  assert.ok(err, 'the subscription must be refused');
  // refused by the server (a frame of it), not by the app's endpoint (which answered 200)
  const frames = c.events().filter((f) => f.event === 'pusher:subscription_error' || f.event === 'pusher:error');
  assert.ok(frames.length >= 1, `frames: ${JSON.stringify(c.frames)}`);
  assert.ok(c.events('pusher:subscription_error', 'private-orders.8').length === 1,
    `a pusher:subscription_error for the channel: ${JSON.stringify(c.frames)}`);
  assert.ok(!err.channel.subscribed);
  // nothing of the channel reaches it, and the connection is still usable
  const pub = await subscribe(c, 'after-forgery');
  const got = collect(pub, 'e');
  await api.trigger('private-orders.8', 'e', '"secret"');
  await api.trigger('after-forgery', 'e', '"public"');
  await waitCount(got, 1);
  assert.equal(c.events('e', 'private-orders.8').length, 0);
  assert.equal(c.pusher.connection.state, 'connected');
  assert.equal(c.states.filter((s) => s === 'connected').length, 1, `states: ${c.states.join(' > ')}`);
  c.close();
});

test('private channel with the auth another socket got: refused', async () => {
  const a = await client(server.ws, { app, user: 7 });
  await subscribe(a, 'private-stolen');
  const [, stolen] = JSON.parse(a.sent.find((s) => s.includes('"private-stolen"'))).data.auth.split(':');
  // b replays a's signature for the same channel
  const b = await client(server.ws, {
    channelAuthorization: { customHandler: (_p, cb) => cb(null, { auth: `${APP.key}:${stolen}` }) },
  });
  const err = await subscribe(b, 'private-stolen').then(() => null, (e) => e);
  assert.ok(err, 'the subscription must be refused');
  assert.equal(b.events('pusher:subscription_error', 'private-stolen').length, 1, JSON.stringify(b.frames));
  const got = collect(a.pusher.channel('private-stolen'), 'e');
  await api.trigger('private-stolen', 'e', '1');
  await waitCount(got, 1);
  await sleep(100);
  assert.equal(b.events('e', 'private-stolen').length, 0);
  assert.equal(b.pusher.connection.state, 'connected');
  a.close();
  b.close();
});

test('private channel without any auth: refused', async () => {
  const c = await client(server.ws, {
    channelAuthorization: { customHandler: (_p, cb) => cb(null, { auth: '' }) },
  });
  const err = await subscribe(c, 'private-none').then(() => null, (e) => e);
  assert.ok(err, 'the subscription must be refused');
  assert.equal(c.events('pusher:subscription_error', 'private-none').length, 1, JSON.stringify(c.frames));
  assert.equal(c.pusher.connection.state, 'connected');
  c.close();
});

test('private-encrypted- channel: pusher-js (tweetnacl) decrypts what the SDK encrypted, the server passes it on', async () => {
  const c = await client(server.ws, { app, user: 7 });
  const ch = await subscribe(c, 'private-encrypted-vault');
  const got = collect(ch, 'Secret');
  const payload = { text: 'caf\u00e9 \u{1F510}', n: [1, 2, 3] };
  const r = await api.trigger('private-encrypted-vault', 'Secret', payload);
  assert.equal(r.status, 200);
  await waitCount(got, 1);
  assert.deepEqual(got[0].data, payload);
  // on the wire: only the nonce and the ciphertext
  const wire = JSON.parse(c.events('Secret', 'private-encrypted-vault')[0].data);
  assert.deepEqual(Object.keys(wire).sort(), ['ciphertext', 'nonce']);
  assert.ok(!c.frames.some((f) => f.includes('caf')));
  c.close();
});

test('cache- channel: the last event is replayed on subscribe', async () => {
  await api.trigger('cache-weather', 'Forecast', '{"sky":"grey"}');
  await api.trigger('cache-weather', 'Forecast', '{"sky":"blue"}');
  const c = await client(server.ws);
  const ch = c.pusher.subscribe('cache-weather');
  const got = collect(ch, 'Forecast');
  const miss = collect(ch, 'pusher:cache_miss');
  await waitCount(got, 1, 'cached events');
  await sleep(200);
  assert.deepEqual(got.map((e) => e.data), [{ sky: 'blue' }]);
  assert.equal(miss.length, 0);
  assert.ok(ch.subscribed);
  // the replay comes after the subscription's confirmation
  const names = c.events(undefined, 'cache-weather').map((f) => f.event);
  assert.deepEqual(names, ['pusher_internal:subscription_succeeded', 'Forecast']);
  // the next event is delivered as usual
  await api.trigger('cache-weather', 'Forecast', '{"sky":"red"}');
  await waitCount(got, 2);
  assert.deepEqual(got[1].data, { sky: 'red' });
  c.close();
});

test('cache- channel with nothing cached: pusher:cache_miss', async () => {
  const c = await client(server.ws);
  const ch = c.pusher.subscribe('cache-empty');
  const miss = collect(ch, 'pusher:cache_miss');
  await waitCount(miss, 1, 'pusher:cache_miss');
  assert.ok(ch.subscribed);
  assert.deepEqual(c.events(undefined, 'cache-empty').map((f) => f.event),
    ['pusher_internal:subscription_succeeded', 'pusher:cache_miss']);
  c.close();
});

test('private-cache- channel: replayed to an authorized subscriber', async () => {
  await api.trigger('private-cache-status', 'Status', '"up"');
  const c = await client(server.ws, { app, user: 1 });
  const ch = c.pusher.subscribe('private-cache-status');
  const got = collect(ch, 'Status');
  await waitCount(got, 1, 'cached events');
  assert.equal(got[0].data, 'up');
  c.close();
});
