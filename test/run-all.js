// `npm test`: the API tests on the embedded SQLite and on MariaDB side by side, then the browser tests
// (SQLite) alone. `node test/run-all.js sqlite|mariadb` runs one database only.
// When MariaDB is not reachable the MariaDB pass says so loudly; with CI=true that fails the run.
// The browser tests drive Chromium: scripts/ensure-test-deps.sh installs it first when missing.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const mysql = require('mysql2/promise');

const root = path.resolve(__dirname, '..');
const mariadbUrl = process.env.TEST_MARIADB_URL || 'mysql://root@127.0.0.1:3306';
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const only = process.argv[2]; // optional: sqlite | mariadb

/**
 * One mocha process: `dialect` sqlite | mariadb, `part` api | browser | '' (all). Its output is streamed,
 * or kept and printed at the end when `quiet` (two passes running side by side do not interleave).
 */
function runMocha({ dialect, part = '', quiet = false }) {
  const label = part ? `${dialect} (${part})` : dialect;
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [require.resolve('mocha/bin/mocha.js'), '--color', '--reporter', path.join(__dirname, 'helpers', 'file-times.cjs')], {
      cwd: root,
      env: { ...process.env, TEST_DB: dialect, TEST_PART: part },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const take = (stream) => (chunk) => {
      if (!quiet) stream.write(chunk);
      out += chunk.toString();
    };
    child.stdout.on('data', take(process.stdout));
    child.stderr.on('data', take(process.stderr));
    child.on('close', (code) => {
      if (quiet) process.stdout.write(`\n=== test pass: ${label} (its output, kept while it ran beside another) ===\n${out}`);
      // eslint-disable-next-line no-control-regex
      const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
      const count = (word) => Number((plain.match(new RegExp(`(\\d+) ${word}`)) || [0, 0])[1]);
      // The failures' titles and first lines, repeated in the summary: a CI log is often read from its tail,
      // and a quiet pass's output is printed far above it.
      const at = plain.search(/^\s*[1-9]\d* failing/m); // not a test whose title says "failing"
      const failures = at >= 0 ? plain.slice(at).split('slowest test files:')[0].split('\n').slice(0, 80) : [];
      resolve({ dialect: label, code, passed: count('passing'), failed: count('failing'), pending: count('pending'), seconds: Math.round((Date.now() - started) / 1000), failures });
    });
  });
}

async function mariadbProblem() {
  try {
    const conn = await mysql.createConnection({ uri: mariadbUrl, connectTimeout: 3000 });
    await conn.end();
    return null;
  } catch (err) {
    return err.message;
  }
}

function banner(lines) {
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  console.log(`\n${'!'.repeat(width)}\n${lines.map((l) => `! ${l.padEnd(width - 4)} !`).join('\n')}\n${'!'.repeat(width)}\n`);
}

/** The newest modification time of the files under these folders (ms). */
function newestIn(dirs) {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of dirs) if (fs.existsSync(dir)) walk(dir);
  return newest;
}

/**
 * Server processes the tests start run the compiled server, as `npm start` does: under tsx each start
 * spent 12 s compiling and loading before its first query (dist: 3 s), and the suite starts dozens.
 * Built first when the sources are newer than dist/ (CI has just built it). SARABAN_SERVER=tsx keeps tsx.
 */
function ensureBuiltServer() {
  if (process.env.SARABAN_SERVER) return true;
  const built = path.join(root, 'dist', 'server', 'main.js');
  const sources = newestIn(['server', 'seeders'].map((d) => path.join(root, d)));
  if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < sources) {
    console.log('npm test: building the server (dist/) for the server processes the tests start');
    const run = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (run.status !== 0) return false;
  }
  process.env.SARABAN_SERVER = 'dist';
  return true;
}

/** Chromium and a Thai font for the browser tests (SQLite pass): installed, or one line saying what to install. */
function ensureBrowserDeps() {
  const run = spawnSync('bash', [path.join(root, 'scripts', 'ensure-test-deps.sh')], { cwd: root, stdio: 'inherit' });
  if (run.error) console.error(`npm test: could not check the browser tests' Debian packages (chromium, fonts-thai-tlwg): ${run.error.message}`);
  return run.status === 0;
}

/**
 * The stages: the API tests on SQLite and on MariaDB side by side (one after the other with TEST_SERIAL=1), then the
 * browser tests alone (Chromium is the one part that suffers from a busy machine).
 */
(async () => {
  if ((!only || only === 'sqlite') && !ensureBrowserDeps()) process.exit(1);
  if (!ensureBuiltServer()) process.exit(1);
  const results = [];
  let failed = false;
  const record = (result) => {
    if (result.code !== 0) failed = true;
    if (result.pending > 0) {
      banner([`${result.pending} test(s) pending/skipped in the ${result.dialect} pass: skips are not allowed.`]);
      failed = true;
    }
    results.push(result);
  };

  const first = [];
  if (!only || only === 'sqlite') first.push({ dialect: 'sqlite', part: 'api' });
  if (!only || only === 'mariadb') {
    const problem = await mariadbProblem();
    if (problem) {
      banner([
        `THE MARIADB PASS DID NOT RUN: MariaDB is not reachable at ${mariadbUrl}`,
        `(${problem})`,
        'Start MariaDB (see README), or set TEST_MARIADB_URL.',
        inCi ? 'CI=true: this fails the run.' : 'Outside CI this is a warning; the run is NOT fully tested.',
      ]);
      if (inCi) failed = true;
      results.push({ dialect: 'mariadb', code: inCi ? 1 : 0, passed: 0, failed: 0, pending: 0, notRun: true });
    } else {
      first.push({ dialect: 'mariadb' });
    }
  }
  // Side by side by default: the API passes wait on their databases, timers and server processes more than
  // on the CPU (the SQLite pass used half a core alone), and with cheap test password hashes they no longer
  // fight over the CPU. Measured on 2 cores: SQLite 10 min alone; side by side SQLite 9 min and MariaDB
  // 12 min, against 22 min one after the other. TEST_SERIAL=1 runs them one after another.
  const serial = process.env.TEST_SERIAL === '1' || first.length < 2;
  if (serial) {
    for (const pass of first) {
      console.log(`\n=== test pass: ${pass.dialect}${pass.part ? ` (${pass.part})` : ''} ===`);
      record(await runMocha(pass));
    }
  } else {
    console.log(`\n=== test passes side by side: ${first.map((p) => p.dialect + (p.part ? ` (${p.part})` : '')).join(' and ')}; the second's output follows when it ends ===`);
    (await Promise.all(first.map((pass, i) => runMocha({ ...pass, quiet: i > 0 })))).forEach(record);
  }
  if (!only || only === 'sqlite') {
    console.log('\n=== test pass: sqlite (browser) ===');
    record(await runMocha({ dialect: 'sqlite', part: 'browser' }));
  }

  console.log('\n=== summary ===');
  for (const r of results) {
    if (r.failures && r.failures.length) console.log(`\n--- what failed in the ${r.dialect} pass (first lines; the whole output is above) ---\n${r.failures.join('\n')}`);
  }
  for (const r of results) console.log(`${r.dialect}: ${r.notRun ? 'NOT RUN' : `${r.passed} passing, ${r.failed} failing (exit ${r.code}) in ${r.seconds} s`}`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failedCount = results.reduce((n, r) => n + r.failed, 0) + (failed && results.every((r) => r.failed === 0) ? 1 : 0);
  console.log(`${passed} passed, ${failedCount} failed`);
  process.exit(failed ? 1 : 0);
})();
