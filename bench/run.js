// `npm run bench`: every benchmark, one after the other; each prints its figures.
// Sizes: BENCH_REGISTRATIONS (2000), BENCH_CLIENTS (32), BENCH_SEARCH_DOCS (100000; the issue's
// figure is 1,000,000, about 11 minutes to generate), BENCH_WAITING (10000,100000),
// BENCH_STALL_SIZES (120000,200000: characters of the Thai letters saved while /api/health is polled),
// BENCH_DELIVERY_LETTERS (40: letters, each sent to 50 organisations; prints letters/s and p95 send→tray),
// BENCH_ECMS_LETTERS (100: signed ECMS letters of 100 KB over loopback; then one of 10 MB).
// BENCH_LETTERS (40: letters drawn as PDF/A with a warm Chromium pool; prints render p50/p95).
// BENCH_SIGNATURES (30: letters signed, then verified; prints sign p95 and verify p95).
// BENCH_EXCHANGE_LETTERS (200) and BENCH_EXCHANGE_DRAIN (1000): the exchange between two deployments.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
let failed = false;
const run = (file, args = [], env = {}) => {
  console.log(`\n=== bench/${file} ${args.join(' ')} ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} ===`);
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join('bench', file), ...args], { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) failed = true;
};

// Servers are measured as `npm start` runs them: compiled, not through tsx.
if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
process.env.SARABAN_SERVER = 'dist';
run('workflow.ts', ['--waiting', process.env.BENCH_WAITING || '10000,100000']);
const n = process.env.BENCH_REGISTRATIONS || '2000';
const c = process.env.BENCH_CLIENTS || '32';
for (const dialect of ['sqlite', 'mariadb']) run('registrations.ts', [dialect, n, c]);
run('search.ts', ['mariadb', process.env.BENCH_SEARCH_DOCS || '100000', '300']);
run('realtime-latency.ts');
run('realtime-latency.ts', [], { BENCH_PROCESSES: '2' });
for (const dialect of ['sqlite', 'mariadb']) run('deliveries.ts', [dialect, process.env.BENCH_DELIVERY_LETTERS || '40', '4']);
run('stall.ts', [process.env.BENCH_STALL_SIZES || '120000,200000']);
run('ecms.ts', [process.env.BENCH_ECMS_LETTERS || '100', '4', '10']);
run('letters-render.ts', [process.env.BENCH_LETTERS || '40', '4', '3']);
run('signing.ts', [process.env.BENCH_SIGNATURES || '30']);
run('exchange.ts', [process.env.BENCH_EXCHANGE_LETTERS || '200', process.env.BENCH_EXCHANGE_DRAIN || '1000', '4']);
process.exit(failed ? 1 : 0);
