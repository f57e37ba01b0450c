'use strict';
/*
 * The push recipe on Node.js and the `ws` package: a peer for the push benchmarks.
 *
 *   WebSocket port: a client's first text message is its uid; the server keeps
 *                   uid -> set of sockets.
 *   Text port:      one JSON object per line, {"uid":"u17","msg":"..."}; the
 *                   server pushes `msg` to every socket of that uid and answers
 *                   "ok\n" (delivered to at least one) or "fail\n", in order.
 *                   {"cmd":"broadcast","msg":"..."} pushes to every bound socket
 *                   and answers {"ok":true,"count":N}.
 *
 * usage: node server.js [WS_PORT [TEXT_PORT]]   (binds 127.0.0.1; 1234 5678)
 */
const net = require('net');
const { WebSocketServer } = require('ws');

const wsPort = Number(process.argv[2] || 1234);
const textPort = Number(process.argv[3] || 5678);
const host = '127.0.0.1';

const byUid = new Map(); // uid -> Set<WebSocket>
let bound = 0;

const wss = new WebSocketServer({
  host,
  port: wsPort,
  backlog: 4096,
  perMessageDeflate: false,
  clientTracking: false,
  maxPayload: 64 * 1024,
});

wss.on('connection', (ws) => {
  let uid = null;
  ws.on('message', (data, isBinary) => {
    if (uid !== null || isBinary) return;
    uid = data.toString();
    let set = byUid.get(uid);
    if (!set) byUid.set(uid, (set = new Set()));
    set.add(ws);
    bound++;
  });
  ws.on('close', () => {
    if (uid === null) return;
    const set = byUid.get(uid);
    if (set && set.delete(ws)) {
      bound--;
      if (set.size === 0) byUid.delete(uid);
    }
  });
  ws.on('error', () => {});
});

function handleLine(line) {
  let o;
  try {
    o = JSON.parse(line);
  } catch (e) {
    return 'fail\n';
  }
  if (o === null || typeof o !== 'object') return 'fail\n';
  if (o.cmd === 'broadcast') {
    const msg = String(o.msg);
    let count = 0;
    for (const set of byUid.values()) {
      for (const ws of set) {
        ws.send(msg);
        count++;
      }
    }
    return JSON.stringify({ ok: true, count }) + '\n';
  }
  const set = byUid.get(String(o.uid));
  if (!set || set.size === 0 || o.msg === undefined) return 'fail\n';
  const msg = String(o.msg);
  for (const ws of set) ws.send(msg);
  return 'ok\n';
}

const text = net.createServer({ noDelay: true }, (sock) => {
  sock.setNoDelay(true);
  sock.setEncoding('utf8');
  let buf = '';
  sock.on('data', (chunk) => {
    buf += chunk;
    let start = 0;
    let nl;
    let out = '';
    while ((nl = buf.indexOf('\n', start)) >= 0) {
      out += handleLine(buf.slice(start, nl));
      start = nl + 1;
    }
    buf = buf.slice(start);
    if (out) sock.write(out);
  });
  sock.on('error', () => {});
});
text.listen({ host, port: textPort, backlog: 4096 });

let listening = 0;
function ready() {
  if (++listening === 2) process.stderr.write(`node-ws peer: ws ${host}:${wsPort} text ${host}:${textPort}\n`);
}
wss.on('listening', ready);
text.on('listening', ready);

function stop() {
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
