// Client events (channel.trigger('client-...') in pusher-js, Echo's whisper):
// only on private and presence channels of an app that allows them, never
// back to the sender, at most 10 a second per connection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  APP2, startPushServer, startApp, sdk, client, closeClients, subscribe, collect, waitCount, sleep, waitFor,
} from './helpers.mjs';

let server, app, api;
before(async () => {
  server = await startPushServer();
  app = await startApp(server.ws);
  api = sdk(server.ws);
});
after(async () => { closeClients(); await app?.close(); await server?.stop(); });

/** The pusher:error frames c got, their data parsed. */
const errorsOf = (c) => c.events('pusher:error').map((f) => (typeof f.data === 'string' ? JSON.parse(f.data) : f.data));

test('private channel: a client event reaches the others, not the sender', async () => {
  const a = await client(server.ws, { app, user: 1 });
  const b = await client(server.ws, { app, user: 2 });
  const cha = await subscribe(a, 'private-chat');
  const chb = await subscribe(b, 'private-chat');
  const gotA = collect(cha, 'client-typing');
  const gotB = collect(chb, 'client-typing');
  cha.trigger('client-typing', { who: 'a', text: 'caf\u00e9' });
  await waitCount(gotB, 1, 'client events');
  assert.deepEqual(gotB[0].data, { who: 'a', text: 'caf\u00e9' });
  // b answers; once a has it, a would have had its own event too
  chb.trigger('client-typing', { who: 'b' });
  await waitCount(gotA, 1, 'client events');
  assert.deepEqual(gotA.map((e) => e.data), [{ who: 'b' }]);
  assert.equal(gotB.length, 1);
  const [frame] = b.events('client-typing', 'private-chat');
  assert.equal(frame.user_id, undefined, 'no user_id outside presence channels');
  assert.deepEqual(errorsOf(a), []);
  a.close();
  b.close();
});

test('presence channel: a client event carries the sender\'s user_id', async () => {
  const a = await client(server.ws, { app, user: 11 });
  const b = await client(server.ws, { app, user: 'twelve' });
  const cha = await subscribe(a, 'presence-chat');
  const chb = await subscribe(b, 'presence-chat');
  const gotA = collect(cha, 'client-wave');
  const gotB = collect(chb, 'client-wave');
  cha.trigger('client-wave', { hi: 1 });
  await waitCount(gotB, 1, 'client events');
  assert.deepEqual(gotB[0].data, { hi: 1 });
  // user_id as the app gave it: the number 11, the string "twelve"
  assert.equal(gotB[0].meta.user_id, 11);
  assert.equal(b.events('client-wave', 'presence-chat')[0].user_id, 11);
  chb.trigger('client-wave', { hi: 2 });
  await waitCount(gotA, 1, 'client events');
  assert.equal(gotA[0].meta.user_id, 'twelve');
  assert.equal(gotA.length, 1);
  assert.equal(gotB.length, 1);
  a.close();
  b.close();
});

test('public channel: a client event is refused (pusher:error) and not delivered', async () => {
  const a = await client(server.ws);
  const b = await client(server.ws);
  const cha = await subscribe(a, 'public-chat');
  const chb = await subscribe(b, 'public-chat');
  const gotB = collect(chb, 'client-spam');
  const marks = collect(chb, 'Mark');
  cha.trigger('client-spam', { x: 1 });
  await waitFor(() => errorsOf(a).length === 1, { what: 'a pusher:error' });
  await api.trigger('public-chat', 'Mark', '1');
  await waitCount(marks, 1, 'the marker');
  await sleep(100);
  assert.equal(gotB.length, 0);
  assert.equal(a.pusher.connection.state, 'connected');
  a.close();
  b.close();
});

test('an app without client_events: refused on its private channels', async () => {
  const a = await client(server.ws, { key: APP2.key, app, appKey: APP2.key, user: 1 });
  const b = await client(server.ws, { key: APP2.key, app, appKey: APP2.key, user: 2 });
  const cha = await subscribe(a, 'private-quiet');
  const chb = await subscribe(b, 'private-quiet');
  const gotB = collect(chb, 'client-psst');
  const marks = collect(chb, 'Mark');
  cha.trigger('client-psst', { x: 1 });
  await waitFor(() => errorsOf(a).length === 1, { what: 'a pusher:error' });
  await sdk(server.ws, APP2).trigger('private-quiet', 'Mark', '1');
  await waitCount(marks, 1, 'the marker');
  await sleep(100);
  assert.equal(gotB.length, 0);
  assert.equal(a.pusher.connection.state, 'connected');
  a.close();
  b.close();
});

test('a client event on a channel the sender is not subscribed to is not delivered', async () => {
  const a = await client(server.ws, { app, user: 1 });
  const b = await client(server.ws, { app, user: 2 });
  const chb = await subscribe(b, 'private-members-only');
  const gotB = collect(chb, 'client-intrude');
  const marks = collect(chb, 'Mark');
  a.pusher.send_event('client-intrude', { x: 1 }, 'private-members-only');
  await sleep(200);
  await api.trigger('private-members-only', 'Mark', '1');
  await waitCount(marks, 1, 'the marker');
  await sleep(100);
  assert.equal(gotB.length, 0);
  a.close();
  b.close();
});

test('rate limit: the 11th client event within a second gets pusher:error 4301, the socket stays open', async () => {
  const a = await client(server.ws, { app, user: 1 });
  const b = await client(server.ws, { app, user: 2 });
  const cha = await subscribe(a, 'private-fast');
  const chb = await subscribe(b, 'private-fast');
  const gotB = collect(chb, 'client-n');
  const marks = collect(chb, 'Mark');
  for (let i = 1; i <= 11; i++) cha.trigger('client-n', { i });
  await waitFor(() => errorsOf(a).length >= 1, { what: 'a pusher:error' });
  assert.deepEqual(errorsOf(a).map((e) => e.code), [4301]);
  await api.trigger('private-fast', 'Mark', '1');
  await waitCount(marks, 1, 'the marker');
  await sleep(100);
  assert.deepEqual(gotB.map((e) => e.data.i), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(a.pusher.connection.state, 'connected');
  assert.equal(a.states.filter((s) => s === 'connected').length, 1, `states: ${a.states.join(' > ')}`);
  // a second later the socket may send again
  await sleep(1100);
  cha.trigger('client-n', { i: 12 });
  await waitCount(gotB, 11, 'client events');
  assert.equal(gotB[10].data.i, 12);
  a.close();
  b.close();
});
