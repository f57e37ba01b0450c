// (a) The Workerman recipe, unchanged: the page's own WebSocket code and the
// backend's raw Text-port snippet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPushServer, serveStatic, launchBrowser, runPhp, waitFor } from './helpers.mjs';

let server, site, browser;

before(async () => {
  server = await startPushServer();
  site = await serveStatic({
    // the recipe's page script; the alert() is kept and caught as a dialog,
    // and the message is also written into the page
    '/recipe.html': `<!doctype html><meta charset="utf-8"><title>recipe</title>
<div id="out"></div>
<script>
var ws = new WebSocket('ws://127.0.0.1:${server.ws}');
ws.onopen = function(){
    var uid = 'uid1';
    ws.send(uid);
};
ws.onmessage = function(e){
    document.getElementById('out').textContent = e.data;
    alert(e.data);
};
</script>`,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await server?.stop();
});

test('the recipe page receives what the recipe backend pushes', async () => {
  const page = await browser.newPage();
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.accept(); });
  await page.goto(site.url('/recipe.html'));

  // the backend snippet of the recipe, run by PHP as written there
  const backend = (uid) => `
$client = stream_socket_client('tcp://127.0.0.1:${server.text}', $errno, $errmsg, 1);
$data = array('uid'=>'${uid}', 'percent'=>'88%');
fwrite($client, json_encode($data)."\\n");
echo fread($client, 8192);`;

  // the page binds uid1 once its first message arrived: until then "fail"
  const answer = await waitFor(() => {
    const a = runPhp(['-r', backend('uid1')]).trim();
    return a === 'ok' ? a : null;
  }, { what: 'uid1 online' });
  assert.equal(answer, 'ok');

  await waitFor(() => dialogs.length === 1, { what: 'the alert' });
  // e.data is $data['percent'], as the recipe's push.php sends it
  assert.deepEqual(dialogs, ['88%']);
  assert.equal(await page.textContent('#out'), '88%');

  // an offline uid still answers fail, as in the recipe
  assert.equal(runPhp(['-r', backend('uid2')]).trim(), 'fail');
  await page.close();
});
