// Builds push.min.js (a plain <script> that sets window.PushClient) from the
// ES module push.js.  Usage: node build.mjs [--check]
//   --check  fails if the committed push.min.js differs from a fresh build.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

const dir = dirname(fileURLToPath(import.meta.url));
const src = readFileSync(join(dir, 'push.js'), 'utf8');

// module -> script: drop the export keywords, wrap, publish the class
const body = src
  .replace(/^export default PushClient;\s*$/m, '')
  .replace(/^export class /m, 'class ');
if (/^export /m.test(body)) throw new Error('push.js has an export build.mjs does not handle');
const iife = `(function (g) {\n'use strict';\n${body}\ng.PushClient = PushClient;\n})(typeof self !== 'undefined' ? self : globalThis);\n`;

const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const out = await minify(iife, {
  ecma: 2020,
  compress: { passes: 2 },
  mangle: { properties: { regex: /^_/ } },
  format: { preamble: `/*! push.js ${version} | window.PushClient */` },
});
const code = out.code + '\n';
const file = join(dir, 'push.min.js');

if (process.argv.includes('--check')) {
  let old = '';
  try { old = readFileSync(file, 'utf8'); } catch { /* missing */ }
  if (old !== code) {
    console.error('push.min.js is out of date: run `npm run build` in client/');
    process.exit(1);
  }
  console.log('push.min.js is up to date');
} else {
  writeFileSync(file, code);
}
const gz = gzipSync(code, { level: 9 }).length;
console.log(`push.min.js: ${code.length} bytes, ${gz} bytes gzipped`);
