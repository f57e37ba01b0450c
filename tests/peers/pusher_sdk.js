// The pusher npm package's calls against push's Pusher HTTP API, one JSON line per call:
// {"what":..,"status":..,"body":..}. Query values go out as the package builds them
// (unencoded: "info=user_count,subscription_count").
//
//   NODE_PATH=<dir>/node_modules node pusher_sdk.js PORT SOCKET_ID_TO_SKIP
const Pusher = require('pusher');

const [port, skip] = process.argv.slice(2);
const opts = { appId: 'app-id', key: 'app-key', secret: 'app-secret', host: '127.0.0.1', port, useTLS: false };
const p = new Pusher(opts);
const bad = new Pusher({ ...opts, secret: 'wrong-secret' });

async function call(what, request) {
  let status, body;
  try {
    const r = await request;
    status = r.status;
    body = await r.text();
  } catch (e) {
    status = e.status || 0;
    body = e.body || String(e);
  }
  console.log(JSON.stringify({ what, status, body }));
}

(async () => {
  await call('trigger', p.trigger('news', 'greet', { from: 'node' }));
  await call('trigger info', p.trigger(['news', 'presence-room'], 'skip', 'x',
    { socket_id: skip, info: 'user_count,subscription_count' }));
  await call('batch', p.triggerBatch([{ channel: 'news', name: 'b1', data: 'one' },
    { channel: 'private-x;y', name: 'b2', data: { k: 2 } }]));
  await call('channels', p.get({ path: '/channels', params: { filter_by_prefix: 'presence-', info: 'user_count' } }));
  await call('channel', p.get({ path: '/channels/presence-room', params: { info: 'user_count,subscription_count' } }));
  await call('channel ;', p.get({ path: '/channels/private-x;y', params: { info: 'subscription_count' } }));
  await call('users', p.get({ path: '/channels/presence-room/users' }));
  await call('sendToUser', p.sendToUser('u1', 'direct', { to: 'u1' }));
  await call('terminate', p.terminateUserConnections('u1'));
  await call('wrong secret', bad.trigger('news', 'x', 'y'));
})();
