// pusher/pusher-php-server (Composer, tests/pusher/php) against the push
// server: what Laravel's Pusher broadcaster calls, with pusher-js receiving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  HERE, APP, startPushServer, client, closeClients, errorCodes, subscribe, collect, waitCount, waitFor, sleep, signedIn,
} from './helpers.mjs';

const DIR = join(HERE, 'php');
const PHP = process.env.PHP || 'php';
const run = promisify(execFile);

function hasComposer() {
  try { execFileSync('composer', ['--version'], { stdio: 'pipe' }); return true; } catch { return false; }
}
// without Composer (and no vendor/ yet) these tests cannot run: skipped, with the reason
const skip = !existsSync(join(DIR, 'vendor', 'autoload.php')) && !hasComposer() ? 'composer is not installed' : false;
const ptest = (name, fn) => test(name, { skip }, fn);

let server;
before(async () => {
  if (skip) return;
  if (!existsSync(join(DIR, 'vendor', 'autoload.php'))) {
    // the locked versions, from Composer's cache when it has them
    try {
      execFileSync('composer', ['install', '--no-progress', '--no-interaction'], { cwd: DIR, stdio: 'pipe', timeout: 600000 });
    } catch (e) {
      throw new Error(`composer install in ${DIR} failed: ${e.stderr}`);
    }
  }
  server = await startPushServer();
});
after(async () => { closeClients(); await server?.stop(); });

/** Pusher\Pusher::method(...args) in a PHP process; resolves with its result, throws with its error. */
async function php(method, args = [], app) {
  const { stdout } = await run(PHP, [join(DIR, 'sdk.php'), String(server.ws), method, JSON.stringify({ args, app })],
    { timeout: 20000 });
  const out = JSON.parse(stdout);
  if (!out.ok) {
    const e = new Error(`${method}: ${out.error}: ${out.message}`);
    Object.assign(e, out);
    throw e;
  }
  return out.result;
}

/** pusher-js authorizing with pusher-php-server's authorizeChannel / authorizePresenceChannel output. */
function phpAuthorizer(user) {
  return {
    customHandler: ({ socketId, channelName }, cb) => {
      const p = channelName.startsWith('presence-')
        ? php('authorizePresenceChannel', [channelName, socketId, String(user), { name: `php ${user}` }])
        : php('authorizeChannel', [channelName, socketId]);
      p.then((json) => cb(null, JSON.parse(json)), (e) => cb(e, null));
    },
  };
}

ptest('pusher-php-server trigger(): pusher-js receives the data', async () => {
  const c = await client(server.ws);
  const got = collect(await subscribe(c, 'php-news'), 'App\\Events\\Posted');
  const r = await php('trigger', ['php-news', 'App\\Events\\Posted', { title: 'caf\u00e9', n: 1.5 }]);
  assert.deepEqual(r, {});
  await waitCount(got, 1);
  assert.deepEqual(got[0].data, { title: 'caf\u00e9', n: 1.5 });
  c.close();
});

ptest('pusher-php-server trigger() on many channels, with socket_id', async () => {
  const a = await client(server.ws);
  const b = await client(server.ws);
  const ga = collect(await subscribe(a, 'php-1'), 'E');
  const gb = collect(await subscribe(b, 'php-2'), 'E');
  const gb1 = collect(await subscribe(b, 'php-1'), 'E');
  await php('trigger', [['php-1', 'php-2'], 'E', 'x', { socket_id: a.socketId() }]);
  await waitCount(gb, 1);
  await waitCount(gb1, 1);
  await php('trigger', ['php-1', 'E', 'y']);
  await waitCount(ga, 1);
  assert.deepEqual(ga.map((e) => e.data), ['y']);
  a.close();
  b.close();
});

ptest('pusher-php-server triggerBatch()', async () => {
  const c = await client(server.ws);
  const g1 = collect(await subscribe(c, 'php-batch-1'), 'B');
  const g2 = collect(await subscribe(c, 'php-batch-2'), 'B');
  const r = await php('triggerBatch', [[
    { channel: 'php-batch-1', name: 'B', data: { n: 1 } },
    { channel: 'php-batch-2', name: 'B', data: { n: 2 } },
  ]]);
  assert.ok(r && typeof r === 'object');
  await waitCount(g1, 1);
  await waitCount(g2, 1);
  assert.deepEqual([g1[0].data, g2[0].data], [{ n: 1 }, { n: 2 }]);
  c.close();
});

ptest('pusher-php-server authorizeChannel(): accepted for a private channel', async () => {
  const c = await client(server.ws, { channelAuthorization: phpAuthorizer(1) });
  const ch = await subscribe(c, 'private-php');
  const got = collect(ch, 'P');
  await php('trigger', ['private-php', 'P', { ok: true }]);
  await waitCount(got, 1);
  assert.deepEqual(got[0].data, { ok: true });
  c.close();
});

ptest('pusher-php-server authorizePresenceChannel(), getChannels(), getChannelInfo(), getPresenceUsers()', async () => {
  const a = await client(server.ws, { channelAuthorization: phpAuthorizer(41) });
  const b = await client(server.ws, { channelAuthorization: phpAuthorizer(42) });
  await subscribe(a, 'presence-php');
  const chb = await subscribe(b, 'presence-php');
  assert.equal(chb.members.count, 2);
  assert.deepEqual(chb.members.get('41').info, { name: 'php 41' });

  const all = await php('getChannels', [{ filter_by_prefix: 'presence-', info: 'user_count' }]);
  assert.deepEqual(all, { channels: { 'presence-php': { user_count: 2 } } });
  const info = await php('getChannelInfo', ['presence-php', { info: 'subscription_count,user_count' }]);
  assert.deepEqual(info, { occupied: true, subscription_count: 2, user_count: 2 });
  const users = await php('getPresenceUsers', ['presence-php']);
  assert.deepEqual(users.users.map((u) => String(u.id)).sort(), ['41', '42']);
  a.close();
  b.close();
});

ptest('pusher-php-server authenticateUser() for signin, sendToUser(), terminateUserConnections()', async () => {
  const userAuth = (id) => ({
    customHandler: ({ socketId }, cb) => {
      php('authenticateUser', [socketId, { id, user_info: { name: id } }]).then((json) => cb(null, JSON.parse(json)), (e) => cb(e, null));
    },
  });
  const p1 = await signedIn(server.ws, 'php-user', { userAuthentication: userAuth('php-user'), event: 'Note' });
  const p2 = await signedIn(server.ws, 'php-other', { userAuthentication: userAuth('php-other'), event: 'Note' });
  await php('sendToUser', ['php-user', 'Note', { hello: 'php' }]);
  await waitCount(p1.got, 1, 'notes');
  await sleep(200);
  assert.deepEqual(p1.got, [{ hello: 'php' }]);
  assert.deepEqual(p2.got, []);
  await php('terminateUserConnections', ['php-user']);
  await waitFor(() => p1.pusher.connection.state !== 'connected', { what: 'the user disconnected' });
  assert.ok(errorCodes(p1).includes(4009), JSON.stringify(p1.errors));
  assert.equal(p2.pusher.connection.state, 'connected');
  p1.close();
  p2.close();
});

ptest('pusher-php-server with a wrong secret: ApiErrorException with status 401', async () => {
  const err = await php('trigger', ['php-news', 'E', 'x'], { ...APP, secret: 'wrong' }).then(() => null, (e) => e);
  assert.ok(err);
  assert.equal(err.error, 'Pusher\\ApiErrorException');
  assert.equal(err.status, 401);
});
