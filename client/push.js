/*
 * push.js - browser client for the push server.
 *
 *   import { PushClient } from './push.js';
 *   const push = new PushClient({ url: 'ws://127.0.0.1:1234', uid: 'uid1' });
 *   push.on('message', (data, id) => { ... });
 *
 * Reconnects with exponential backoff and full jitter, stops on an auth
 * refusal, and (resume, on by default) asks the server to replay what was
 * pushed while the link was down. No dependencies. See docs/CLIENT.md.
 */

const REFUSED_MIN = 4001; // 4001 bad token ... 4005 bad uid: retrying cannot help
const REFUSED_MAX = 4005;
const KICKED = 4009;      // the application closed the uid on purpose
const STABLE_MS = 5000;   // a link open this long resets the backoff
const ID_RE = /^([0-9a-z]+)-(\d+)$/;

export class PushClient {
  /**
   * @param {object} options see push.d.ts
   */
  constructor(options) {
    const o = Object.assign({
      resume: true,
      json: false,
      tokenInQuery: false,
      minDelay: 1000,
      maxDelay: 30000,
      idleTimeout: 0,
      autoConnect: true,
      lastId: null,
    }, options);
    if (!o.url) throw new TypeError('PushClient: the url option is required');
    if (o.uid == null && o.token == null) throw new TypeError('PushClient: give uid or token');
    this.options = o;
    /** Id of the last message received ("epoch-seq"), sent back as last= on reconnect. */
    this.lastId = o.lastId || null;
    /** 'idle' | 'connecting' | 'open' | 'waiting' | 'closed' */
    this.state = 'idle';
    this.attempt = 0;
    this._ws = null;
    this._timer = 0;
    this._idleTimer = 0;
    this._rx = 0;
    this._opened = 0;
    this._gen = 0;
    this._h = {};
    if (globalThis.addEventListener) {
      this._wake = () => this._onWake();
      globalThis.addEventListener('online', this._wake);
      if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this._wake);
    }
    if (o.autoConnect) this.connect();
  }

  /** Adds a listener; returns a function that removes it. */
  on(event, fn) {
    (this._h[event] || (this._h[event] = [])).push(fn);
    return () => this.off(event, fn);
  }

  off(event, fn) {
    const l = this._h[event];
    if (l) this._h[event] = l.filter((f) => f !== fn);
    return this;
  }

  _emit(event, ...args) {
    for (const fn of (this._h[event] || []).slice()) {
      try {
        fn.apply(this, args);
      } catch (e) {
        setTimeout(() => { throw e; });
      }
    }
  }

  /**
   * Connects now: the first time (autoConnect: false), or at once while
   * waiting for the next reconnect attempt. Does nothing while connecting or
   * open, nor after close().
   */
  connect() {
    if (this.state === 'closed' || this.state === 'connecting' || this.state === 'open') return;
    clearTimeout(this._timer);
    this._open();
  }

  /** Sends a message to the server (its onMessage callback). Returns false if not open. */
  send(data) {
    if (this.state !== 'open') return false;
    this._ws.send(typeof data === 'string' || data instanceof ArrayBuffer || ArrayBuffer.isView(data)
      || (typeof Blob !== 'undefined' && data instanceof Blob) ? data : JSON.stringify(data));
    return true;
  }

  /** Closes for good: no more reconnects, no more events but the last close. */
  close(code = 1000, reason = '') {
    if (this.state === 'closed') return;
    const ws = this._ws;
    this._stop();
    if (ws) {
      try { ws.close(code, reason); } catch (e) { ws.close(); }
    }
    this._emit('close', code, reason);
  }

  _stop() {
    this.state = 'closed';
    this._gen++;
    clearTimeout(this._timer);
    clearTimeout(this._idleTimer);
    this._detach();
    if (this._wake) {
      globalThis.removeEventListener('online', this._wake);
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this._wake);
    }
  }

  _detach() {
    const ws = this._ws;
    if (ws) ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    this._ws = null;
  }

  async _open() {
    const o = this.options;
    const gen = ++this._gen;
    this.state = 'connecting';
    let token = o.token;
    try {
      if (typeof token === 'function') token = await token();
    } catch (e) {
      if (gen !== this._gen) return;
      this._emit('error', e);
      this._retry();
      return;
    }
    if (gen !== this._gen) return;
    const base = typeof location !== 'undefined' ? location.href : undefined;
    const url = new URL(o.url, base);
    const q = url.searchParams;
    if (o.resume) {
      q.set('seq', '1');
      if (this.lastId) q.set('last', this.lastId);
    }
    if (token != null && o.tokenInQuery) q.set('token', token);
    let ws;
    try {
      ws = new WebSocket(url.href);
    } catch (e) {
      this._emit('error', e);
      this._retry();
      return;
    }
    ws.binaryType = 'arraybuffer';
    this._ws = ws;
    ws.onopen = () => {
      if (token == null) ws.send(String(o.uid));
      else if (!o.tokenInQuery) ws.send(String(token));
      this.state = 'open';
      this._opened = this._rx = Date.now();
      this._armIdle();
      this._emit('open');
    };
    ws.onmessage = (e) => this._frame(e.data);
    ws.onerror = () => this._emit('error', new Error('WebSocket error'));
    ws.onclose = (e) => this._closed(e.code, e.reason);
  }

  _frame(raw) {
    this._rx = Date.now();
    this._armIdle();
    let id = null;
    let data = raw;
    if (this.options.resume && typeof raw === 'string') {
      // opted-in frames: "E-S|payload", "|payload" (no id) or "!gap E-S";
      // anything else came from a server without history: a plain payload
      const gap = /^!gap ([0-9a-z]+-\d+)$/.exec(raw);
      if (gap) {
        this.lastId = gap[1];
        this._emit('gap', gap[1]);
        return;
      }
      const bar = raw.indexOf('|');
      if (bar === 0) {
        data = raw.slice(1);
      } else if (bar > 0 && ID_RE.test(raw.slice(0, bar))) {
        id = raw.slice(0, bar);
        if (this._seen(id)) return;
        this.lastId = id;
        data = raw.slice(bar + 1);
      }
    }
    if (this.options.json && typeof data === 'string') {
      try { data = JSON.parse(data); } catch (e) { /* not JSON: as is */ }
    }
    this._emit('message', data, id);
  }

  /** Whether id is at or before lastId in the same epoch (a duplicate). */
  _seen(id) {
    const a = ID_RE.exec(id);
    const b = this.lastId && ID_RE.exec(this.lastId);
    return !!b && a[1] === b[1] && Number(a[2]) <= Number(b[2]);
  }

  _closed(code, reason) {
    const stable = this._opened && Date.now() - this._opened >= STABLE_MS;
    this._opened = 0;
    clearTimeout(this._idleTimer);
    this._detach();
    if (code >= REFUSED_MIN && code <= REFUSED_MAX) {
      this._stop();
      this._emit('refused', code, reason);
      this._emit('close', code, reason);
      return;
    }
    if (code === KICKED) {
      this._stop();
      this._emit('close', code, reason);
      return;
    }
    this._emit('close', code, reason);
    if (this.state === 'closed') return; // close() called from a listener
    if (stable) this.attempt = 0;
    this._retry();
  }

  _retry() {
    const o = this.options;
    this.attempt++;
    const cap = Math.min(o.maxDelay, o.minDelay * 2 ** Math.min(this.attempt - 1, 30));
    const delay = Math.floor(Math.random() * cap);
    this.state = 'waiting';
    this._gen++;
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this._open(), delay);
    this._emit('reconnect', this.attempt, delay);
  }

  _armIdle() {
    const ms = this.options.idleTimeout;
    if (!ms) return;
    clearTimeout(this._idleTimer);
    this._idleTimer = setTimeout(() => this._drop(), ms);
  }

  /** Gives up on a link that looks dead and reconnects. */
  _drop() {
    if (this.state !== 'open') return;
    const ws = this._ws;
    this._detach();
    try { ws.close(); } catch (e) { /* already closing */ }
    this._closed(1006, 'idle timeout');
  }

  /** Network back or page visible again: retry now, or check an idle link. */
  _onWake() {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    if (this.state === 'waiting') {
      this.connect();
    } else if (this.state === 'open' && this.options.idleTimeout
        && Date.now() - this._rx >= this.options.idleTimeout) {
      this._drop();
    }
  }
}

export default PushClient;
