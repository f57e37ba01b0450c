// Cluster mode: two push nodes on one real Redis; pusher-js on one node, the
// SDK or another client on the other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPushServer, startApp, startRedis, sdk, client, closeClients, subscribe, collect, waitCount, waitFor, sleep, errorCodes, signedIn,
} from './helpers.mjs';

let redis, nodeA, nodeB, appA, appB;
before(async () => {
  redis = await startRedis();
  nodeA = await startPushServer({ redis: redis.url, node_id: 'node-a' });
  nodeB = await startPushServer({ redis: redis.url, node_id: 'node-b' });
  appA = await startApp(nodeA.ws);
  appB = await startApp(nodeB.ws);
});
after(async () => {
  closeClients();
  await appA?.close();
  await appB?.close();
  await nodeA?.stop();
  await nodeB?.stop();
  await redis?.stop();
});

test('cluster: pusher-js on node A receives an event triggered through node B\'s HTTP API', async () => {
  const c = await client(nodeA.ws);
  const ch = await subscribe(c, 'cluster-news');
  const got = collect(ch, 'Across');
  const r = await sdk(nodeB.ws).trigger('cluster-news', 'Across', '{"from":"b"}');
  assert.equal(r.status, 200);
  await waitCount(got, 1);
  assert.equal(c.events('Across', 'cluster-news')[0].data, '{"from":"b"}');
  await sleep(200);
  assert.equal(got.length, 1, 'once');
  c.close();
});

test('cluster: node B\'s HTTP API counts node A\'s subscribers', async () => {
  const c = await client(nodeA.ws);
  await subscribe(c, 'cluster-count');
  const info = await waitFor(async () => {
    const res = await sdk(nodeB.ws).get({ path: '/channels/cluster-count', params: { info: 'subscription_count' } });
    const j = JSON.parse(await res.text());
    return j.occupied ? j : null;
  }, { what: 'the channel occupied on node B' });
  assert.deepEqual(info, { occupied: true, subscription_count: 1 });
  c.close();
});

test('cluster: socket_id exclusion holds across nodes', async () => {
  const a = await client(nodeA.ws);
  const b = await client(nodeB.ws);
  const ga = collect(await subscribe(a, 'cluster-others'), 'E');
  const gb = collect(await subscribe(b, 'cluster-others'), 'E');
  await sdk(nodeB.ws).trigger('cluster-others', 'E', '1', { socket_id: a.socketId() });
  await waitCount(gb, 1);
  await sdk(nodeB.ws).trigger('cluster-others', 'E', '2');
  await waitCount(ga, 1);
  await waitCount(gb, 2);
  assert.deepEqual(ga.map((e) => e.data), [2]);
  a.close();
  b.close();
});

test('cluster: a client event on node A reaches a member on node B', async () => {
  const a = await client(nodeA.ws, { app: appA, user: 1 });
  const b = await client(nodeB.ws, { app: appB, user: 2 });
  const cha = await subscribe(a, 'private-cluster-chat');
  const gb = collect(await subscribe(b, 'private-cluster-chat'), 'client-hi');
  cha.trigger('client-hi', { from: 'a' });
  await waitCount(gb, 1);
  assert.deepEqual(gb[0].data, { from: 'a' });
  a.close();
  b.close();
});

test('cluster: presence members on both nodes see each other', async () => {
  const a = await client(nodeA.ws, { app: appA, user: 1 });
  const cha = await subscribe(a, 'presence-cluster');
  const added = collect(cha, 'pusher:member_added');
  const removed = collect(cha, 'pusher:member_removed');
  const b = await client(nodeB.ws, { app: appB, user: 2 });
  const chb = await subscribe(b, 'presence-cluster');
  await waitCount(added, 1, 'member_added');
  assert.equal(added[0].data.id, 2);
  assert.equal(chb.members.count, 2, 'b sees a in its member list');
  b.close();
  await waitCount(removed, 1, 'member_removed');
  assert.equal(removed[0].data.id, 2);
  a.close();
});

/** Waits until each of nodes counts n sockets in channel (it has heard of the other node's). */
async function counted(nodes, channel, n) {
  for (const node of nodes) {
    await waitFor(async () => {
      const res = await sdk(node.ws).get({ path: `/channels/${channel}`, params: { info: 'subscription_count' } });
      return JSON.parse(await res.text()).subscription_count === n;
    }, { what: `${n} sockets in ${channel} as node ${node.ws} counts them` });
  }
}

/** A socket on node A as user, subscribed to a presence channel, with the member events it gets. */
async function watch(user, channel) {
  const watcher = await client(nodeA.ws, { app: appA, user });
  const chw = await subscribe(watcher, channel);
  return { watcher, chw, added: collect(chw, 'pusher:member_added'), removed: collect(chw, 'pusher:member_removed') };
}

test('cluster: the same user on both nodes is one presence member; removed when its last socket leaves', async () => {
  const { watcher, chw, added, removed } = await watch('w', 'presence-cluster-dedup');
  const onA = await client(nodeA.ws, { app: appA, user: 'same' });
  await subscribe(onA, 'presence-cluster-dedup');
  await waitCount(added, 1, 'member_added');
  const onB = await client(nodeB.ws, { app: appB, user: 'same' });
  const chb = await subscribe(onB, 'presence-cluster-dedup');
  assert.equal(chb.members.count, 2, 'node B lists w and same, once each');
  await counted([nodeA], 'presence-cluster-dedup', 3);
  onA.close();
  await sleep(500);
  assert.equal(added.length, 1, 'the second socket of "same" (on node B) was no new member');
  assert.equal(removed.length, 0, '"same" still has a socket on node B');
  onB.close();
  await waitCount(removed, 1, 'member_removed');
  assert.equal(removed[0].data.id, 'same');
  watcher.close();
});

test('cluster: a cache- channel\'s last event, triggered through node B, is replayed to a subscriber on node A', async () => {
  const r = await sdk(nodeB.ws).trigger('cache-cluster', 'Last', '{"n":1}');
  assert.equal(r.status, 200);
  await sdk(nodeB.ws).trigger('cache-cluster', 'Last', '{"n":2}');
  const c = await client(nodeA.ws);
  const ch = c.pusher.subscribe('cache-cluster');
  const got = collect(ch, 'Last');
  const miss = collect(ch, 'pusher:cache_miss');
  await waitCount(got, 1, 'the cached event');
  assert.deepEqual(got[0].data, { n: 2 });
  await sleep(200);
  assert.equal(miss.length, 0);
  assert.equal(got.length, 1);
  c.close();
});

test('cluster: sendToUser and terminateUserConnections through node B reach the user\'s sockets on node A', async () => {
  const a = await signedIn(nodeA.ws, 'roamer', { app: appA });
  const b = await signedIn(nodeB.ws, 'roamer', { app: appB });
  const other = await signedIn(nodeA.ws, 'stays', { app: appA });
  await sdk(nodeB.ws).sendToUser('roamer', 'Notice', { n: 1 });
  await waitCount(a.got, 1, 'notice on node A');
  await waitCount(b.got, 1, 'notice on node B');
  const r = await sdk(nodeB.ws).terminateUserConnections('roamer');
  assert.equal(r.status, 200);
  for (const c of [a, b]) {
    await waitFor(() => c.pusher.connection.state !== 'connected', { what: `terminated (${c.states.join(' > ')})` });
    assert.ok(errorCodes(c).includes(4009), `errors: ${JSON.stringify(c.errors)}`);
    // on either node, the pusher:error frame comes before the close
    const errs = c.events('pusher:error').map((f) => (typeof f.data === 'string' ? JSON.parse(f.data) : f.data));
    assert.deepEqual(errs.map((e) => e.code), [4009], `frames: ${c.frames.slice(-2)}`);
  }
  assert.equal(other.pusher.connection.state, 'connected');
  await sdk(nodeB.ws).sendToUser('stays', 'Notice', { n: 2 });
  await waitCount(other.got, 1, 'notice to the user not terminated');
  assert.equal(a.got.length + b.got.length, 2, 'nothing more for the terminated user');
  for (const c of [a, b, other]) c.close();
});

test('cluster: one user\'s last sockets on both nodes leave at once: member_removed once, not a ghost member', async () => {
  const { watcher, chw, added, removed } = await watch('w2', 'presence-cluster-race');
  for (let round = 0; round < 5; round++) {
    const onA = await client(nodeA.ws, { app: appA, user: 'racer' });
    const onB = await client(nodeB.ws, { app: appB, user: 'racer' });
    await Promise.all([subscribe(onA, 'presence-cluster-race'), subscribe(onB, 'presence-cluster-race')]);
    await waitCount(added, round + 1, `member_added of round ${round}`);
    // both nodes have heard of both sockets (until then a node may rightly see the user leave and come back)
    await counted([nodeA, nodeB], 'presence-cluster-race', 3);
    onA.close();
    onB.close();
    await waitCount(removed, round + 1, `member_removed of round ${round}`);
  }
  await sleep(500);
  assert.equal(added.length, 5, 'one member_added per round, though the user joined on two nodes at once');
  assert.equal(removed.length, 5, 'one member_removed per round');
  assert.equal(chw.members.count, 1, 'only the watcher is left');
  watcher.close();
});

test('cluster: user_id 7 on one node and "7" on the other are one member', async () => {
  const { watcher, chw, added, removed } = await watch('w3', 'presence-cluster-types');
  const num = await client(nodeA.ws, { app: appA, user: 7 });
  await subscribe(num, 'presence-cluster-types');
  await waitCount(added, 1, 'member_added of 7');
  const str = await client(nodeB.ws, { app: appB, user: '7' });
  const chs = await subscribe(str, 'presence-cluster-types');
  assert.equal(chs.members.count, 2, `node B lists w3 and 7 once: ${JSON.stringify(chs.members.members)}`);
  await counted([nodeA], 'presence-cluster-types', 3);
  str.close();
  await sleep(700);
  assert.equal(removed.length, 0, '7 still has a socket on node A');
  assert.equal(added.length, 1);
  num.close();
  await waitCount(removed, 1, 'member_removed of 7');
  watcher.close();
});

test('cluster: the presence members of a node that dies (kill -9) are removed on the others', async () => {
  const nodeC = await startPushServer({ redis: redis.url, node_id: 'node-c' });
  const appC = await startApp(nodeC.ws);
  try {
    const { watcher, chw, added, removed } = await watch('w4', 'presence-cluster-death');
    const doomed = await client(nodeC.ws, { app: appC, user: 'on-c' });
    await subscribe(doomed, 'presence-cluster-death');
    await waitCount(added, 1, 'member_added of the user on node C');
    await nodeC.stop('SIGKILL');
    doomed.close();
    await waitCount(removed, 1, 'member_removed once node C is forgotten', 15000);
    assert.equal(removed[0].data.id, 'on-c');
    assert.equal(chw.members.count, 1);
    watcher.close();
  } finally {
    await appC.close();
    await nodeC.stop();
  }
});
