<?php
require __DIR__ . '/config.php';

$uid = demo_uid();
$token = Push\Client::token($uid, 300, demo_secret());
$h = fn(string $s) => htmlspecialchars($s, ENT_QUOTES);
?>
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>push demo: live task progress</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  main { max-width: 560px; margin: 48px auto; padding: 28px 32px; background: #fff; border-radius: 12px;
         box-shadow: 0 1px 3px rgba(0,0,0,.08), 0 8px 24px rgba(0,0,0,.06); }
  h1 { font-size: 22px; margin: 0 0 4px; }
  .sub { color: #667085; margin: 0 0 24px; font-size: 14px; }
  .row { display: flex; align-items: center; justify-content: space-between; margin-bottom: 20px; }
  .pill { font-size: 13px; padding: 2px 10px; border-radius: 999px; background: #eef0f3; color: #475467; }
  .pill.open { background: #dcfae6; color: #067647; }
  .pill.refused { background: #fee4e2; color: #b42318; }
  button { font: inherit; padding: 8px 18px; border: 0; border-radius: 8px; background: #2563eb; color: #fff; cursor: pointer; }
  button:disabled { background: #98a2b3; cursor: default; }
  .bar { height: 22px; background: #eef0f3; border-radius: 11px; overflow: hidden; margin: 16px 0 6px; }
  .fill { height: 100%; width: 0; background: linear-gradient(90deg, #2563eb, #7c3aed); transition: width .15s linear; }
  .pct { font-variant-numeric: tabular-nums; color: #475467; font-size: 14px; }
  ol { margin: 20px 0 0; padding: 12px 16px 12px 32px; background: #f9fafb; border-radius: 8px;
       font: 12px/1.6 ui-monospace, monospace; color: #475467; max-height: 9.6em; overflow: auto; }
  code { font-size: 13px; }
</style>
</head>
<body>
<main>
  <h1>Live task progress</h1>
  <p class="sub">You are <code><?= $h($uid) ?></code>. The task runs in its own PHP process and reports with
    <code>Push\Client::send($uid, ['percent' =&gt; $n])</code>.</p>
  <div class="row">
    <span>Online users: <strong id="online">–</strong></span>
    <span id="status" class="pill">connecting…</span>
  </div>
  <button id="start">Start task</button>
  <div class="bar"><div id="fill" class="fill"></div></div>
  <div class="pct" id="pct">idle</div>
  <ol id="log"></ol>
</main>
<script src="push.min.js"></script>
<script>
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var task = null;
  var firstToken = <?= json_encode($token) ?>;

  function log(text) {
    var li = document.createElement('li');
    li.textContent = new Date().toLocaleTimeString() + '  ' + text;
    $('log').appendChild(li);
    $('log').scrollTop = 1e9;
  }
  function status(text, cls) {
    $('status').textContent = text;
    $('status').className = 'pill ' + (cls || '');
  }

  var push = new PushClient({
    url: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.hostname + ':<?= demo_ws_port() ?>',
    // the page's own token first, then a fresh one from token.php on each reconnect
    token: function () {
      if (firstToken) { var t = firstToken; firstToken = null; return t; }
      return fetch('token.php').then(function (r) { return r.text(); });
    },
    json: true
  });

  push.on('open', function () { status('connected', 'open'); log('connected'); });
  push.on('close', function (code) { status('disconnected'); log('closed (' + code + ')'); });
  push.on('reconnect', function (n, ms) { status('reconnecting…'); log('reconnect #' + n + ' in ' + ms + ' ms'); });
  push.on('refused', function (code, reason) { status('refused', 'refused'); log('refused: ' + code + ' ' + reason); });
  push.on('gap', function () { log('missed messages are gone: reloading state'); });
  push.on('message', function (data) {
    if (data && typeof data.online === 'number') {
      $('online').textContent = data.online;
    } else if (data && typeof data.percent === 'number') {
      if (task && data.task !== task) return;
      $('fill').style.width = data.percent + '%';
      $('pct').textContent = data.percent === 100 ? 'done: 100%' : data.percent + '%';
      if (data.percent === 100) { task = null; $('start').disabled = false; log('task done'); }
    }
  });

  $('start').onclick = function () {
    $('start').disabled = true;
    $('fill').style.width = '0';
    $('pct').textContent = 'starting…';
    fetch('start.php', { method: 'POST' })
      .then(function (r) { return r.json(); })
      .then(function (r) { task = r.task; log('task ' + task + ' started'); })
      .catch(function (e) { $('start').disabled = false; log('could not start: ' + e); });
  };
})();
</script>
</body>
</html>
