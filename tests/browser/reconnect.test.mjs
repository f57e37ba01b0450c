// (b) push.js across link losses and server restarts: plain reconnects with
// backoff, and with the server's history option missed-message replay: in
// order, exactly once, with !gap when history was lost.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPushServer, serveStatic, launchBrowser, textSend, waitFor, sleep,
  clientPage, events, openClient, waitEvents, waitOnline,
} from './helpers.mjs';

const HISTORY = { size: 100, ttl: 300 };
const ID = /^([0-9a-z]+)-(\d+)$/;

let site, browser;

before(async () => {
  site = await serveStatic({ '/': clientPage() });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

/** Same ports as a running (or stopped) server, new options. */
const samePorts = (s, options = s.options) =>
  startPushServer({ ...options, ws: `ws://127.0.0.1:${s.ws}`, text: `tcp://127.0.0.1:${s.text}` });

const push = (server, uid, msg) => textSend(server.text, JSON.stringify({ uid, msg }));

/** Waits until the uid is bound, then pushes (with history, an earlier push would be queued). */
async function pushOnline(server, uid, msg) {
  await waitOnline(server.text, uid);
  assert.equal(await push(server, uid, msg), 'ok');
}

const waitOffline = (server, uid) => waitFor(async () =>
  !JSON.parse(await textSend(server.text, JSON.stringify({ cmd: 'isUidOnline', uid }))).online, { what: `${uid} offline` });

/** Makes backoff delays maximal (Math.random() -> 0.999) so only connect() reconnects early. */
function stubRandom() {
  Math.random = () => 0.999;
}

/** ids are "epoch-seq" of the given epoch with increasing seq. */
function assertIds(ids, epoch) {
  let prev = 0;
  for (const id of ids) {
    const m = ID.exec(id);
    assert.ok(m, `id ${id}`);
    assert.equal(m[1], epoch, `epoch of ${id}`);
    assert.ok(+m[2] > prev, `${ids.join(' ')} increase`);
    prev = +m[2];
  }
}

const messages = async (page) => (await events(page, 'message')).map(([data, id]) => ({ data, id }));

describe('plain reconnect', () => {
  test('push.js reconnects after a server restart with backoff and receives again', async () => {
    let server = await startPushServer();
    const page = await openClient(browser, site, {
      url: `ws://127.0.0.1:${server.ws}`, uid: 'u1', json: true, minDelay: 100, maxDelay: 400,
    });
    try {
      await pushOnline(server, 'u1', { n: 1 });
      await waitEvents(page, 'message', 1);

      await server.stop();   // graceful: the page is closed with 1001
      const [[code]] = await waitEvents(page, 'close', 1);
      assert.equal(code, 1001);
      await waitEvents(page, 'reconnect', 2); // retries while the port is closed
      server = await samePorts(server);

      await waitEvents(page, 'open', 2);
      await pushOnline(server, 'u1', { n: 2 });
      await waitEvents(page, 'message', 2);
      assert.deepEqual((await messages(page)).map((m) => m.data), [{ n: 1 }, { n: 2 }]);

      const delays = await events(page, 'reconnect');
      delays.forEach(([attempt, delay], i) => {
        assert.equal(attempt, i + 1);
        assert.ok(delay >= 0 && delay < Math.min(400, 100 * 2 ** i), `attempt ${attempt}: ${delay} ms`);
      });
      assert.equal(await page.evaluate(() => window.push.state), 'open');
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('resume against a server without history: payloads arrive as they are', async () => {
    const server = await startPushServer();
    const page = await openClient(browser, site, { url: `ws://127.0.0.1:${server.ws}`, uid: 'u7' });
    try {
      const sent = ['plain', '!hello', 'a|b', '{"percent":"88%"}'];
      await pushOnline(server, 'u7', sent[0]);
      for (const m of sent.slice(1)) assert.equal(await push(server, 'u7', m), 'ok');
      const got = await waitEvents(page, 'message', sent.length);
      assert.deepEqual(got, sent.map((m) => [m, null]));
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('idleTimeout: a link silent for too long is replaced', async () => {
    const server = await startPushServer();
    const page = await openClient(browser, site, {
      url: `ws://127.0.0.1:${server.ws}`, uid: 'u8', idleTimeout: 600, minDelay: 10, maxDelay: 20,
    });
    try {
      await waitOnline(server.text, 'u8');
      // traffic keeps it: three messages 300 ms apart
      for (let i = 0; i < 3; i++) {
        assert.equal(await push(server, 'u8', `m${i}`), 'ok');
        await sleep(300);
      }
      assert.equal((await events(page, 'close')).length, 0);
      // silence drops it and a new link takes over
      const [[code, reason]] = await waitEvents(page, 'close', 1, 3000);
      assert.deepEqual([code, reason], [1006, 'idle timeout']);
      await waitEvents(page, 'open', 2);
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('the network coming back ("online" event) retries at once', async () => {
    let server = await startPushServer();
    const page = await openClient(browser, site, {
      url: `ws://127.0.0.1:${server.ws}`, uid: 'u9', minDelay: 3_600_000, maxDelay: 3_600_000,
    }, stubRandom);
    try {
      await waitOnline(server.text, 'u9');
      await server.stop();
      await waitEvents(page, 'reconnect', 1);
      server = await samePorts(server);
      await sleep(200);
      assert.equal(await page.evaluate(() => window.push.state), 'waiting');
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await waitEvents(page, 'open', 2);
      await waitOnline(server.text, 'u9');
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('close() stops for good', async () => {
    const server = await startPushServer();
    const page = await openClient(browser, site, { url: `ws://127.0.0.1:${server.ws}`, uid: 'u2', minDelay: 50, maxDelay: 100 });
    try {
      await pushOnline(server, 'u2', 'x');
      await page.evaluate(() => window.push.close());
      await waitOffline(server, 'u2');
      await sleep(300);
      assert.deepEqual(await events(page, 'reconnect'), []);
      assert.equal(await page.evaluate(() => window.push.state), 'closed');
    } finally {
      await page.close();
      await server.stop();
    }
  });
});

describe('missed-message replay (history)', () => {
  test('messages pushed while the server restarted are replayed in order, exactly once', async () => {
    let server = await startPushServer({ history: HISTORY });
    const page = await openClient(browser, site, {
      url: `ws://127.0.0.1:${server.ws}`, uid: 'u1', json: true, minDelay: 3_600_000, maxDelay: 3_600_000,
    }, stubRandom);
    try {
      await pushOnline(server, 'u1', { n: 1 });
      assert.equal(await push(server, 'u1', { n: 2 }), 'ok');
      assert.equal(await push(server, 'u1', { n: 3 }), 'ok');
      const before = await waitEvents(page, 'message', 3);
      const [, epoch1] = ID.exec(before[0][1]);
      assert.deepEqual(before.map(([d]) => d.n), [1, 2, 3]);
      assertIds(before.map(([, id]) => id), epoch1);

      assert.deepEqual(await server.stop(), { code: 0, sig: null }, `clean stop with kept messages: ${server.output}`);
      await waitEvents(page, 'reconnect', 1);
      server = await samePorts(server);
      // the page waits (long backoff): nobody of u1 is connected, so the server keeps them;
      // other users' traffic in between must not matter
      assert.equal(await push(server, 'someone-else', 'hi'), 'queued');
      for (const n of [4, 5, 6]) {
        assert.equal(await push(server, 'u1', { n }), 'queued');
        assert.equal(await push(server, 'someone-else', 'hi'), 'queued');
      }

      await page.evaluate(() => window.push.connect());
      await waitEvents(page, 'open', 2);
      await waitFor(async () => (await events(page, 'message')).length >= 6 || (await events(page, 'gap')).length,
        { what: 'the replay' });
      assert.deepEqual(await events(page, 'gap'), [], 'every message of u1 since the restart is kept: no gap');
      const all = await waitEvents(page, 'message', 6);
      await sleep(300); // nothing more must come
      const got = await messages(page);
      assert.deepEqual(got.map((m) => m.data.n), [1, 2, 3, 4, 5, 6]);
      const [, epoch2] = ID.exec(all[3][1]);
      assert.notEqual(epoch2, epoch1, 'a restarted server has a new epoch');
      assertIds(got.slice(3).map((m) => m.id), epoch2);

      // and live ones follow
      assert.equal(await push(server, 'u1', { n: 7 }), 'ok');
      await waitEvents(page, 'message', 7);
      const seven = await messages(page);
      assert.deepEqual(seven[6].data, { n: 7 });
      assertIds(seven.slice(3).map((m) => m.id), epoch2);
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('a dropped link resumes after the last id it saw, without duplicates', async () => {
    const server = await startPushServer({ history: HISTORY });
    const page = await openClient(browser, site, {
      url: `ws://127.0.0.1:${server.ws}`, uid: 'u3', minDelay: 3_600_000, maxDelay: 3_600_000,
    }, stubRandom);
    try {
      await pushOnline(server, 'u3', 'a');
      assert.equal(await push(server, 'u3', 'b'), 'ok');
      await waitEvents(page, 'message', 2);
      await page.evaluate(() => window.push.send('close:4000')); // the server drops this link
      await waitEvents(page, 'reconnect', 1);
      await waitOffline(server, 'u3');
      assert.equal(await push(server, 'u3', 'c'), 'queued');
      assert.equal(await push(server, 'u3', 'd'), 'queued');
      const lastSeen = await page.evaluate(() => window.push.lastId);
      await page.evaluate(() => window.push.connect());
      await waitEvents(page, 'message', 4);
      await sleep(300);
      const got = await messages(page);
      assert.deepEqual(got.map((m) => m.data), ['a', 'b', 'c', 'd']);
      assert.equal(lastSeen, got[1].id);
      assertIds(got.map((m) => m.id), ID.exec(lastSeen)[1]); // same epoch, increasing
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('when history was lost the client gets a gap, not a partial replay', async () => {
    const server = await startPushServer({ history: { size: 2, ttl: 300 } });
    const page = await openClient(browser, site, {
      url: `ws://127.0.0.1:${server.ws}`, uid: 'u4', minDelay: 3_600_000, maxDelay: 3_600_000,
    }, stubRandom);
    try {
      await pushOnline(server, 'u4', 'm1');
      await waitEvents(page, 'message', 1);
      await page.evaluate(() => window.push.send('close:4000'));
      await waitEvents(page, 'reconnect', 1);
      await waitOffline(server, 'u4');
      for (const m of ['m2', 'm3', 'm4', 'm5']) assert.equal(await push(server, 'u4', m), 'queued');
      await page.evaluate(() => window.push.connect());
      const [[gapId]] = await waitEvents(page, 'gap', 1);
      assert.match(gapId, ID);
      assert.equal(await page.evaluate(() => window.push.lastId), gapId);
      await sleep(300);
      const replayed = (await messages(page)).slice(1);
      assert.ok(!replayed.some((m) => m.data === 'm2'), 'm2 fell out of the history: it cannot be replayed');
      // live messages continue after the gap position
      assert.equal(await push(server, 'u4', 'm6'), 'ok');
      const all = await waitEvents(page, 'message', 2 + replayed.length);
      const last = all[all.length - 1];
      assert.equal(last[0], 'm6');
      assert.ok(+ID.exec(last[1])[2] > +ID.exec(gapId)[2]);
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('a new page (no last id) gets what was pushed while the uid had no connection', async () => {
    const server = await startPushServer({ history: HISTORY });
    let page;
    try {
      assert.equal(await push(server, 'u10', 'before anyone'), 'queued');
      assert.equal(await push(server, 'u10', 'still nobody'), 'queued');
      page = await openClient(browser, site, { url: `ws://127.0.0.1:${server.ws}`, uid: 'u10' });
      await waitEvents(page, 'message', 2);
      await pushOnline(server, 'u10', 'live');
      await waitEvents(page, 'message', 3);
      await sleep(200);
      assert.deepEqual((await messages(page)).map((m) => m.data), ['before anyone', 'still nobody', 'live']);
      // a second page of the same uid does not get them again: they were received
      const other = await openClient(browser, site, { url: `ws://127.0.0.1:${server.ws}`, uid: 'u10' });
      await waitFor(async () => JSON.parse(await textSend(server.text, '{"cmd":"count","uid":"u10"}')).count === 2,
        { what: 'two connections' });
      await sleep(300);
      assert.deepEqual(await messages(other), []);
      await other.close();
    } finally {
      await page?.close();
      await server.stop();
    }
  });

  test('messages older than the TTL are not replayed: the client gets a gap', async () => {
    const server = await startPushServer({ history: { size: 100, ttl: 0.5 } });
    const page = await openClient(browser, site, {
      url: `ws://127.0.0.1:${server.ws}`, uid: 'u11', minDelay: 3_600_000, maxDelay: 3_600_000,
    }, stubRandom);
    try {
      await pushOnline(server, 'u11', 'fresh');
      await waitEvents(page, 'message', 1);
      await page.evaluate(() => window.push.send('close:4000'));
      await waitEvents(page, 'reconnect', 1);
      await waitOffline(server, 'u11');
      assert.equal(await push(server, 'u11', 'stale'), 'queued');
      await sleep(1200);
      await page.evaluate(() => window.push.connect());
      await waitEvents(page, 'gap', 1);
      await sleep(200);
      assert.deepEqual((await messages(page)).map((m) => m.data), ['fresh']);
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('broadcasts reach an opted-in client without an id, the payload intact', async () => {
    const server = await startPushServer({ history: HISTORY });
    const page = await openClient(browser, site, { url: `ws://127.0.0.1:${server.ws}`, uid: 'u6' });
    try {
      await waitOnline(server.text, 'u6');
      const payloads = ['to all', 'a|b', '!gap not a control', '{"x":1}'];
      for (const msg of payloads) {
        assert.match(await textSend(server.text, JSON.stringify({ cmd: 'broadcast', msg })), /"ok":true/);
      }
      await pushOnline(server, 'u6', 'x|y');
      const got = await waitEvents(page, 'message', payloads.length + 1);
      assert.deepEqual(got.slice(0, payloads.length), payloads.map((p) => [p, null]));
      assert.equal(got[payloads.length][0], 'x|y');
      assert.match(got[payloads.length][1], ID);
      assert.deepEqual(await events(page, 'gap'), []);
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('connections that do not opt in get plain payloads (the recipe keeps working)', async () => {
    const server = await startPushServer({ history: HISTORY });
    const page = await openClient(browser, site, {
      url: `ws://127.0.0.1:${server.ws}`, uid: 'u5', resume: false,
    });
    try {
      await pushOnline(server, 'u5', { percent: '88%' });
      const [[data, id]] = await waitEvents(page, 'message', 1);
      assert.equal(data, '{"percent":"88%"}');
      assert.equal(id, null);
    } finally {
      await page.close();
      await server.stop();
    }
  });
});
