// `npm run bench`: the registry benchmarks on both databases; each prints its figures as JSON.
// Sizes: BENCH_REGISTRATIONS (default 2000), BENCH_CLIENTS (32), BENCH_SEARCH_DOCS (100000).
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tsx = [require.resolve('tsx/cli')];
const run = (args) => {
  const r = spawnSync(process.execPath, [...tsx, ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
};
const n = process.env.BENCH_REGISTRATIONS || '2000';
const c = process.env.BENCH_CLIENTS || '32';
for (const dialect of ['sqlite', 'mariadb']) run(['bench/registrations.ts', dialect, n, c]);
run(['bench/search.ts', 'mariadb', process.env.BENCH_SEARCH_DOCS || '100000', '300']);
