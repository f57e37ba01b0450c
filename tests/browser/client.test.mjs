// push.min.js is the build of push.js (client/build.mjs) and stays small;
// it works as a plain <script> exposing window.PushClient.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ROOT, serveStatic, launchBrowser, startPushServer, textSend, waitOnline, waitFor } from './helpers.mjs';

const CLIENT = join(ROOT, 'client');
const GZIP_BUDGET = 2048; // bytes, minified + gzipped

test('push.min.js is up to date with push.js', () => {
  if (!existsSync(join(CLIENT, 'node_modules', 'terser'))) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: CLIENT, stdio: 'pipe' });
  }
  execFileSync(process.execPath, ['build.mjs', '--check'], { cwd: CLIENT, stdio: 'pipe' });
});

test(`push.min.js stays under ${GZIP_BUDGET} bytes gzipped`, () => {
  const size = gzipSync(readFileSync(join(CLIENT, 'push.min.js')), { level: 9 }).length;
  assert.ok(size <= GZIP_BUDGET, `${size} bytes`);
});

let server, site, browser;
before(async () => {
  server = await startPushServer();
  site = await serveStatic({
    '/script.html': `<!doctype html><meta charset="utf-8"><title>script build</title>
<script src="/client/push.min.js"></script>
<script>
window.got = [];
window.push = new PushClient({ url: 'ws://127.0.0.1:${server.ws}', uid: 'min1', json: true });
window.push.on('message', function (data, id) { window.got.push([data, id]); });
</script>`,
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await server?.stop();
});

test('the <script> build sets window.PushClient and works', async () => {
  const page = await browser.newPage();
  await page.goto(site.url('/script.html'));
  assert.equal(await page.evaluate(() => typeof window.PushClient), 'function');
  await waitOnline(server.text, 'min1');
  assert.equal(await textSend(server.text, '{"uid":"min1","msg":{"percent":"88%"}}'), 'ok');
  await waitFor(() => page.evaluate(() => window.got.length === 1), { what: 'the message' });
  assert.deepEqual(await page.evaluate(() => window.got), [[{ percent: '88%' }, null]]);
  await page.close();
});
