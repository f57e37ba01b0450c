// (c) The demo as the README starts it (examples/demo/run.sh): the progress
// bar reaches 100%, the online counter follows, and Ctrl-C stops everything.
// UPDATE_SCREENSHOT=1 also writes docs/demo.png (taken mid-progress).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, php, launchBrowser, freePort, runPhp, waitFor } from './helpers.mjs';

const SECRET = 'demo-test-secret';
let run, out = '', httpPort, browser, shots;

const portOpen = (port) => new Promise((resolve) => {
  const s = connect(port, '127.0.0.1');
  s.on('connect', () => { s.destroy(); resolve(true); });
  s.on('error', () => resolve(false));
});

before(async () => {
  httpPort = await freePort();
  const [bin, extArgs] = php();
  const so = extArgs.length ? extArgs[1].replace(/^extension=/, '') : undefined;
  run = spawn('bash', [join(ROOT, 'examples', 'demo', 'run.sh')], {
    env: {
      ...process.env, PHP: bin, ...(so ? { PUSH_SO: so } : {}),
      HTTP_PORT: String(httpPort), WS_PORT: '0', TEXT_PORT: '0', PUSH_SECRET: SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, like a shell job: Ctrl-C reaches the whole group
  });
  run.stdout.on('data', (d) => { out += d; });
  run.stderr.on('data', (d) => { out += d; });
  run.done = new Promise((r) => run.on('exit', (code, signal) => r({ code, signal })));
  await waitFor(() => /open http:\/\//.test(out) || run.exitCode !== null, { timeout: 20000, what: 'run.sh ready' });
  assert.match(out, /open http:\/\/127\.0\.0\.1:\d+\//, out);
  browser = await launchBrowser();
  shots = mkdtempSync(join(tmpdir(), 'push-demo-shot-'));
});

after(async () => {
  await browser?.close();
  if (run && run.exitCode === null) {
    process.kill(-run.pid, 'SIGINT');
    await run.done;
  }
  if (shots) rmSync(shots, { recursive: true, force: true });
});

test('the progress bar moves to 100% and the online counter follows', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 720, height: 480 });
  await page.goto(`http://127.0.0.1:${httpPort}/`);
  await page.waitForSelector('#status.open');
  await waitFor(async () => (await page.textContent('#online')) === '1', { what: 'online = 1' });

  // a second user comes and goes: every page hears about it
  const [, wsPort] = /ws:\/\/127\.0\.0\.1:(\d+)/.exec(out);
  const visitor = runPhp(['-r', `echo Push\\Client::token('visitor', 60, '${SECRET}');`]);
  await page.evaluate(([url, token]) => {
    window.visitor = new PushClient({ url, token });
  }, [`ws://127.0.0.1:${wsPort}`, visitor]);
  await waitFor(async () => (await page.textContent('#online')) === '2', { what: 'online = 2' });
  await page.evaluate(() => window.visitor.close());
  await waitFor(async () => (await page.textContent('#online')) === '1', { what: 'online back to 1' });

  await page.click('#start');
  assert.equal(await page.isDisabled('#start'), true);
  const percent = async () => parseInt(await page.textContent('#pct'), 10);
  await waitFor(async () => (await percent()) >= 60, { timeout: 20000, what: 'progress past 60%' });
  const shot = process.env.UPDATE_SCREENSHOT ? join(ROOT, 'docs', 'demo.png') : join(shots, 'demo.png');
  await page.screenshot({ path: shot });

  await waitFor(async () => (await page.textContent('#pct')) === 'done: 100%', { timeout: 30000, what: '100%' });
  const width = await page.$eval('#fill', (e) => e.style.width);
  assert.equal(width, '100%');
  assert.equal(await page.isDisabled('#start'), false);
  const log = await page.textContent('#log');
  assert.match(log, /task [0-9a-f]+ started/);
  assert.match(log, /task done/);
  await page.close();
});

test('Ctrl-C stops the push server and the web server', async () => {
  const ports = [httpPort, ...[/ws:\/\/127\.0\.0\.1:(\d+)/, /tcp:\/\/127\.0\.0\.1:(\d+)/].map((re) => +re.exec(out)[1])];
  for (const p of ports) assert.equal(await portOpen(p), true, `port ${p} open while running`);
  process.kill(-run.pid, 'SIGINT'); // what a terminal's Ctrl-C does
  const { code } = await run.done;
  assert.equal(code, 0, out);
  assert.match(out, /stopped/);
  assert.doesNotMatch(out, /Segmentation fault|core dumped|Fatal error|exited with status/, out);
  for (const p of ports) assert.equal(await portOpen(p), false, `port ${p} closed after Ctrl-C`);
});
