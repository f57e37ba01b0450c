// (d) Token mode through push.js: a good token binds, a forged one is refused
// with 4001 and an expired one with 4002, both seen as push.js "refused"
// events, after which push.js stops reconnecting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startPushServer, serveStatic, launchBrowser, runPhp, textSend, waitFor, sleep, clientPage, events, openClient } from './helpers.mjs';

const SECRET = 'browser-test-secret';
let server, site, browser;

const b64url = (s) => Buffer.from(s).toString('base64url');
/** A token signed with key, expiring at unix time exp (same format as Push\Client::token). */
function signToken(uid, exp, key) {
  const body = `${b64url(uid)}.${exp}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}
const phpToken = (uid, ttl = 3600) =>
  runPhp(['-r', `echo Push\\Client::token(${JSON.stringify(uid)}, ${ttl}, ${JSON.stringify(SECRET)});`]);

before(async () => {
  server = await startPushServer({ secret: SECRET });
  site = await serveStatic({ '/': clientPage(`ws://127.0.0.1:${server.ws}`) });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await server?.stop();
});

const open = (options) => openClient(browser, site, options);

test('a token made by Push\\Client::token() binds its uid', async () => {
  for (const tokenInQuery of [false, true]) {
    const uid = `alice-${tokenInQuery ? 'q' : 'm'}`;
    const page = await open({ token: phpToken(uid), tokenInQuery, json: true });
    await waitFor(async () => (await textSend(server.text, JSON.stringify({ uid, msg: { hello: uid } }))) === 'ok',
      { what: `${uid} online` });
    await waitFor(async () => (await events(page, 'message')).length === 1, { what: 'the message' });
    assert.deepEqual(await events(page, 'message'), [[{ hello: uid }, null]]);
    assert.deepEqual(await events(page, 'refused'), []);
    await page.close();
  }
});

test('an async token function is called on every connect', async () => {
  const page = await browser.newPage();
  await page.goto(site.url('/'));
  await page.waitForFunction(() => window.ready);
  const tokens = [phpToken('carol'), phpToken('carol')];
  // a function cannot cross into the page: start the client in there
  await page.evaluate((t) => {
    window.calls = 0;
    window.start({
      token: async () => t[window.calls++],
      minDelay: 50,
      maxDelay: 100,
    });
  }, tokens);
  await waitFor(async () => (await events(page, 'open')).length === 1, { what: 'open' });
  await waitFor(async () => (await textSend(server.text, '{"uid":"carol","msg":"one"}')) === 'ok', { what: 'carol online' });
  // the server closes the link (4000): push.js reconnects with a fresh token
  await page.evaluate(() => window.push.send('close:4000'));
  await waitFor(async () => (await events(page, 'open')).length === 2, { what: 'reopen' });
  assert.equal(await page.evaluate(() => window.calls), 2);
  await waitFor(async () => (await textSend(server.text, '{"uid":"carol","msg":"two"}')) === 'ok', { what: 'carol back' });
  await waitFor(async () => (await events(page, 'message')).length === 2, { what: 'two messages' });
  assert.deepEqual((await events(page, 'message')).map((m) => m[0]), ['one', 'two']);
  await page.close();
});

for (const tokenInQuery of [false, true]) {
  const how = tokenInQuery ? '?token=' : 'first message';
  const now = () => Math.floor(Date.now() / 1000);
  const cases = [
    ['a forged (wrong key)', () => signToken('mallory', now() + 3600, 'not-the-secret'), 4001],
    ['a forged (tampered uid)', () => phpToken('bob').replace(/^[^.]+/, b64url('admin')), 4001],
    ['a malformed', () => 'uid1', 4001],
    ['an expired', () => signToken('bob', now() - 10, SECRET), 4002],
  ];
  for (const [name, make, code] of cases) {
    test(`${name} token (${how}) is refused with ${code} and push.js stops`, async () => {
      const page = await open({ token: make(), tokenInQuery, minDelay: 20, maxDelay: 50 });
      await waitFor(async () => (await events(page, 'refused')).length === 1, { what: 'refused' });
      const [[gotCode, reason]] = await events(page, 'refused');
      assert.equal(gotCode, code);
      assert.equal(typeof reason, 'string');
      await sleep(300); // several backoff periods
      assert.equal(await page.evaluate(() => window.push.state), 'closed');
      assert.deepEqual(await events(page, 'reconnect'), []);
      const closes = await events(page, 'close');
      assert.deepEqual(closes.map((c) => c[0]), [code]);
      await page.close();
    });
  }
}
