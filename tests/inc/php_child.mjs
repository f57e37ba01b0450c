// What the Node test suites (tests/browser, tests/pusher) share: a PHP child
// process with the push extension loaded, and waiting.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let phpArgsCache = null;

/**
 * The PHP binary ($PHP or php) and the arguments that load the push extension:
 * $PUSH_SO, else modules/push.so unless PHP already loads push.
 */
export function php() {
  const bin = process.env.PHP || 'php';
  if (!phpArgsCache) {
    const mods = execFileSync(bin, ['-m'], { encoding: 'utf8' });
    if (!process.env.PUSH_SO && /^push$/m.test(mods)) {
      phpArgsCache = [];
    } else {
      const so = process.env.PUSH_SO || join(ROOT, 'modules', 'push.so');
      if (!existsSync(so)) throw new Error(`${so} is missing: build the extension first (make)`);
      // a private copy: a rebuild during the run must not swap the library under running servers
      const dir = mkdtempSync(join(tmpdir(), 'push-so-'));
      copyFileSync(so, join(dir, 'push.so'));
      process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
      phpArgsCache = ['-d', `extension=${join(dir, 'push.so')}`];
    }
  }
  return [bin, phpArgsCache];
}

/** Waits for fn() to be truthy (it may be async); returns its value. */
export async function waitFor(fn, { timeout = 10000, interval = 25, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(interval);
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs a PHP child; resolves with an object once `ready` matches its stdout. */
export function startPhp(args, { env = {}, ready, timeout = 10000, cwd = ROOT } = {}) {
  const [bin, extArgs] = php();
  const child = spawn(bin, [...extArgs, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = { child, output: '', exited: null };
  child.stdout.on('data', (d) => { proc.output += d; });
  child.stderr.on('data', (d) => { proc.output += d; });
  proc.done = new Promise((r) => child.on('exit', (code, sig) => { proc.exited = { code, sig }; r(proc.exited); }));
  proc.stop = async (signal = 'SIGTERM') => {
    if (!proc.exited) {
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await proc.done;
      clearTimeout(t);
    }
    return proc.exited;
  };
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { proc.stop('SIGKILL'); reject(new Error(`PHP child not ready: ${proc.output}`)); }, timeout);
    const check = () => {
      const m = ready.exec(proc.output);
      if (m) {
        clearTimeout(t);
        child.stdout.off('data', check);
        proc.match = m;
        resolve(proc);
      }
    };
    child.stdout.on('data', check);
    proc.done.then(() => {
      clearTimeout(t);
      reject(new Error(`PHP child exited (${JSON.stringify(proc.exited)}): ${proc.output}`));
    });
  });
}
