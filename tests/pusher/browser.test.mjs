// pusher-js's browser build (dist/web/pusher.min.js, where node resolves pusher-js) in
// headless Chromium, as a page loads it from a <script> tag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { HERE, startPushServer, sdk, waitFor } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let server, site, context, profile;
before(async () => {
  server = await startPushServer();
  // the workspace (tests/package.json) installs pusher-js in tests/node_modules
  const script = readFileSync(createRequire(import.meta.url).resolve('pusher-js/dist/web/pusher.min.js'));
  const page = `<!doctype html><meta charset="utf-8"><title>pusher-js</title>
<script src="/pusher.min.js"></script>
<script>
window.got = [];
window.states = [];
var pusher = new Pusher('app-key', {
  wsHost: '127.0.0.1', wsPort: ${server.ws}, forceTLS: false, enabledTransports: ['ws'], cluster: 'mt1'
});
pusher.connection.bind('state_change', function (s) { window.states.push(s.current); });
var channel = pusher.subscribe('browser-news');
channel.bind('pusher:subscription_succeeded', function () { window.subscribed = true; });
channel.bind('Headline', function (data) { window.got.push(data); });
window.socketId = function () { return pusher.connection.socket_id; };
</script>`;
  const http = createServer((req, res) => {
    if (req.url === '/pusher.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
    }
  });
  await new Promise((r) => http.listen(0, '127.0.0.1', r));
  site = http;
  profile = mkdtempSync(join(tmpdir(), 'push-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  site?.closeAllConnections();
  site?.close();
  await server?.stop();
});

test('Chromium: pusher.min.js connects, subscribes and receives a public event', async () => {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${site.address().port}/`);
  await page.waitForFunction(() => window.subscribed === true, null, { timeout: 10000 });
  assert.match(await page.evaluate(() => window.socketId()), /^\d+\.\d+$/);
  const data = { title: 'caf\u00e9 \u{1F4F0}', n: 3 };
  await sdk(server.ws).trigger('browser-news', 'Headline', data);
  await waitFor(() => page.evaluate(() => window.got.length === 1), { what: 'the event in the page' });
  assert.deepEqual(await page.evaluate(() => window.got), [data]);
  assert.deepEqual(await page.evaluate(() => window.states), ['connecting', 'connected']);
  assert.deepEqual(errors, []);
  await page.close();
});
