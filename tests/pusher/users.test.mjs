// User authentication: pusher-js signin() with the app's user-auth endpoint,
// then the SDK's sendToUser() and terminateUserConnections().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPushServer, startApp, sdk, client, closeClients, errorCodes, waitFor, sleep, subscribe, collect, waitCount,
  signedIn as signedInOn,
} from './helpers.mjs';

let server, app, api;
before(async () => {
  server = await startPushServer();
  app = await startApp(server.ws);
  api = sdk(server.ws);
});
after(async () => { closeClients(); await app?.close(); await server?.stop(); });

/** A client signed in as user on this file's server (helpers.signedIn). */
const signedIn = (user) => signedInOn(server.ws, user, { app });

test('signin: pusher:signin_success carries the user data the app signed', async () => {
  const c = await signedIn('u-data');
  const data = c.events('pusher:signin_success')[0].data;
  const parsed = typeof data === 'string' ? JSON.parse(data) : data;
  assert.deepEqual(JSON.parse(parsed.user_data), { id: 'u-data', user_info: { name: 'user u-data' } });
  assert.deepEqual(c.pusher.user.user_data, { id: 'u-data', user_info: { name: 'user u-data' } });
  c.close();
});

test('signin with a forged signature is refused', async () => {
  const c = await client(server.ws, { app, user: 'mallory', forge: true });
  c.pusher.signin();
  await waitFor(() => c.errors.length > 0 || c.events('pusher:error').length > 0 || c.pusher.connection.state !== 'connected',
    { what: `a refusal: ${c.frames}` });
  assert.equal(c.events('pusher:signin_success').length, 0);
  // and the user's events do not reach it
  await api.sendToUser('mallory', 'Notice', { n: 1 });
  await sleep(300);
  assert.ok(!c.frames.some((f) => f.includes('Notice')));
  c.close();
});

test('sendToUser reaches every socket of that user, and only those', async () => {
  const u1a = await signedIn('u1');
  const u1b = await signedIn('u1');
  const u2 = await signedIn('u2');
  const anon = await client(server.ws, { app, user: 'u1' }); // logged in on the site, but never signed in on the socket
  await api.sendToUser('u1', 'Notice', { n: 1, text: 'caf\u00e9' });
  await waitCount(u1a.got, 1, 'notices');
  await waitCount(u1b.got, 1, 'notices');
  await api.sendToUser('u2', 'Notice', { n: 2 });
  await waitCount(u2.got, 1, 'notices');
  await sleep(100);
  assert.deepEqual(u1a.got, [{ n: 1, text: 'caf\u00e9' }]);
  assert.deepEqual(u1b.got, [{ n: 1, text: 'caf\u00e9' }]);
  assert.deepEqual(u2.got, [{ n: 2 }]);
  assert.ok(!anon.frames.some((f) => f.includes('Notice')));
  for (const c of [u1a, u1b, u2, anon]) c.close();
});

test('user ids with characters channel names do not allow (auth0|42, user:7, mail addresses) get their notices', async () => {
  for (const id of ['auth0|42', 'user:7', 'ana+test@example.org', 'user 7 #1']) {
    const c = await signedIn(id);
    await api.sendToUser(id, 'Notice', { to: id });
    await waitCount(c.got, 1, `notice to ${id}`);
    assert.deepEqual(c.got, [{ to: id }]);
    c.close();
  }
});

test('a socket cannot subscribe to another user\'s #server-to-user- channel', async () => {
  const victim = await signedIn('victim');
  const spy = await signedIn('spy');
  spy.pusher.send_event('pusher:subscribe', { channel: '#server-to-user-victim', auth: '' });
  await sleep(300);
  await api.sendToUser('victim', 'Notice', { secret: 1 });
  await waitCount(victim.got, 1, 'notices');
  await sleep(100);
  assert.ok(!spy.frames.some((f) => f.includes('"secret"')), JSON.stringify(spy.frames));
  victim.close();
  spy.close();
});

test('terminateUserConnections closes every socket of that user, the others stay', async () => {
  const t1 = await signedIn('doomed');
  const t2 = await signedIn('doomed');
  const keep = await signedIn('kept');
  const r = await api.terminateUserConnections('doomed');
  assert.equal(r.status, 200);
  for (const c of [t1, t2]) {
    await waitFor(() => c.pusher.connection.state !== 'connected', { what: `disconnected (${c.states.join(' > ')})` });
  }
  await sleep(2500);
  for (const c of [t1, t2]) {
    assert.ok(errorCodes(c).includes(4009), `errors: ${JSON.stringify(c.errors)}`);
    // 4009 is "refused": pusher-js does not come back
    assert.notEqual(c.pusher.connection.state, 'connected', `states: ${c.states.join(' > ')}`);
    assert.equal(c.states.filter((s) => s === 'connected').length, 1, `states: ${c.states.join(' > ')}`);
  }
  assert.equal(keep.pusher.connection.state, 'connected');
  await api.sendToUser('kept', 'Notice', { still: true });
  await waitCount(keep.got, 1, 'notices');
  for (const c of [t1, t2, keep]) c.close();
});

test('a socket that is not signed in can still subscribe to public channels next to signed-in ones', async () => {
  const u = await signedIn('mixed');
  const ch = await subscribe(u, 'mixed-news');
  const got = collect(ch, 'N');
  await api.trigger('mixed-news', 'N', '1');
  await waitCount(got, 1);
  u.close();
});
