// Runs `npm ci` (under the strict install-script policy) when node_modules is missing
// or older than package-lock.json, so `npm test` and `npm start` work on a fresh clone.
// Plain node: it runs before any dependency exists.
'use strict';
const { execSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'node_modules', '.iam-identity-center-install');
const lock = fs.readFileSync(path.join(root, 'package-lock.json'));
const digest = crypto.createHash('sha256').update(lock).digest('hex');

if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== digest) {
  process.stderr.write('Installing dependencies (npm ci)…\n');
  // Strict: a dependency whose install script package.json's allowScripts does not list
  // (pinned to the reviewed version) fails the install, as npm 12 will by default.
  execSync('npm ci --no-audit --no-fund --strict-allow-scripts', { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(stamp, digest);
}
