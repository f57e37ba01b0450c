// Presence channels with pusher-js: members by user, not by socket, user_id
// keeping its JSON type, the member list a subscriber gets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPushServer, startApp, client, closeClients, subscribe, collect, waitCount, sleep, waitFor,
} from './helpers.mjs';

let server, app;
before(async () => {
  server = await startPushServer();
  app = await startApp(server.ws);
});
after(async () => { closeClients(); await app?.close(); await server?.stop(); });

/** The data of the frames of event on channel, parsed. */
const dataOf = (c, event, channel) => c.events(event, channel).map((f) => JSON.parse(f.data));

test('presence: the member list on subscribe, user ids of both JSON types', async () => {
  const a = await client(server.ws, { app, user: 7, userInfo: { name: 'Ada' } });
  await subscribe(a, 'presence-list');
  const b = await client(server.ws, { app, user: '8', userInfo: { name: 'Bob' } });
  await subscribe(b, 'presence-list');
  const c = await client(server.ws, { app, user: 9 });
  const ch = await subscribe(c, 'presence-list');
  assert.equal(ch.members.count, 3);
  assert.deepEqual(ch.members.me, { id: 9, info: { name: 'user 9' } });
  const seen = {};
  ch.members.each((m) => { seen[m.id] = m.info; });
  assert.deepEqual(seen, { 7: { name: 'Ada' }, 8: { name: 'Bob' }, 9: { name: 'user 9' } });
  // on the wire: {"presence":{"count":3,"ids":[...],"hash":{...}}}, each id as the app gave it
  const [data] = dataOf(c, 'pusher_internal:subscription_succeeded', 'presence-list');
  assert.equal(data.presence.count, 3);
  assert.deepEqual([...data.presence.ids].sort((x, y) => String(x).localeCompare(String(y))), [7, '8', 9]);
  assert.deepEqual(data.presence.hash, { 7: { name: 'Ada' }, 8: { name: 'Bob' }, 9: { name: 'user 9' } });
  for (const x of [a, b, c]) x.close();
});

test('presence: two sockets of one user are one member: one member_added, member_removed when the last leaves', async () => {
  const watcher = await client(server.ws, { app, user: 100 });
  const wch = await subscribe(watcher, 'presence-room');
  const added = collect(wch, 'pusher:member_added');
  const removed = collect(wch, 'pusher:member_removed');

  const tab1 = await client(server.ws, { app, user: 7, userInfo: { name: 'Ada' } });
  await subscribe(tab1, 'presence-room');
  await waitCount(added, 1, 'member_added');
  const tab2 = await client(server.ws, { app, user: 7, userInfo: { name: 'Ada' } });
  const ch2 = await subscribe(tab2, 'presence-room');
  assert.equal(ch2.members.count, 2, 'users 100 and 7');
  // a later member is announced: by then a second member_added of 7 would have come
  const other = await client(server.ws, { app, user: '8' });
  await subscribe(other, 'presence-room');
  await waitCount(added, 2, 'member_added');
  assert.deepEqual(added.map((e) => e.data.id), [7, '8']);
  assert.deepEqual(added[0].data.info, { name: 'Ada' });
  // user_id keeps its type on the wire: 7 is a number, "8" a string
  const wire = dataOf(watcher, 'pusher_internal:member_added', 'presence-room');
  assert.deepEqual(wire, [{ user_id: 7, user_info: { name: 'Ada' } }, { user_id: '8', user_info: { name: 'user 8' } }]);

  tab1.close();
  await sleep(500);
  assert.equal(removed.length, 0, 'user 7 still has a socket on the channel');
  assert.equal(wch.members.count, 3);
  tab2.close();
  await waitCount(removed, 1, 'member_removed');
  assert.equal(removed[0].data.id, 7);
  assert.deepEqual(dataOf(watcher, 'pusher_internal:member_removed', 'presence-room'), [{ user_id: 7 }]);
  other.pusher.unsubscribe('presence-room');
  await waitCount(removed, 2, 'member_removed');
  assert.deepEqual(dataOf(watcher, 'pusher_internal:member_removed', 'presence-room')[1], { user_id: '8' });
  assert.equal(wch.members.count, 1);
  watcher.close();
  other.close();
});

test('presence: a member never sees its own member_added', async () => {
  const a = await client(server.ws, { app, user: 1 });
  await subscribe(a, 'presence-self');
  const b = await client(server.ws, { app, user: 2 });
  await subscribe(b, 'presence-self');
  await waitFor(() => a.events('pusher_internal:member_added', 'presence-self').length === 1, { what: 'member_added' });
  await sleep(200);
  assert.equal(b.events('pusher_internal:member_added', 'presence-self').length, 0);
  a.close();
  b.close();
});

test('presence: a subscription without channel_data (no user) is refused', async () => {
  const c = await client(server.ws, { app, user: 5 });
  // signed correctly, for the channel, but with no channel_data: no user to be a member
  const signed = await new Promise((resolve) => {
    c.pusher.config.channelAuthorizer({ socketId: c.socketId(), channelName: 'presence-nodata' }, (e, d) => resolve(d));
  });
  assert.ok(signed.channel_data);
  c.pusher.send_event('pusher:subscribe', { channel: 'presence-nodata', auth: signed.auth });
  await waitFor(() => c.events(undefined, 'presence-nodata').length > 0 || c.events('pusher:error').length > 0,
    { what: 'an answer' });
  assert.equal(c.events('pusher_internal:subscription_succeeded', 'presence-nodata').length, 0, JSON.stringify(c.frames));
  assert.equal(c.pusher.connection.state, 'connected');
  c.close();
});
