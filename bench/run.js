// `npm run bench`: every benchmark in bench/ (files named *.ts here), one after the other; each prints its figures.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const runs = [];
for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.ts')).sort()) {
  runs.push({ file, env: {} });
  if (file === 'realtime-latency.ts') runs.push({ file, env: { BENCH_PROCESSES: '2' } });
}
let failed = false;
for (const { file, env } of runs) {
  console.log(`\n=== bench/${file} ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} ===`);
  const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, file)], { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
