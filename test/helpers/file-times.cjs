// Mocha reporter for `npm test`: the spec reporter, plus the ten slowest test files (hooks included)
// at the end, so a CI log says where its minutes went. FILE_TIMES_OUT=path also writes every file's time.
const fs = require('node:fs');
const Mocha = require('mocha');

const { EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_RUN_END } = Mocha.Runner.constants;

class FileTimes extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const started = new Map();
    const times = [];
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (suite.file && suite.parent && suite.parent.root) started.set(suite, Date.now());
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      if (started.has(suite)) times.push({ seconds: (Date.now() - started.get(suite)) / 1000, file: suite.file.replace(`${process.cwd()}/`, '') });
    });
    runner.once(EVENT_RUN_END, () => {
      const byFile = new Map();
      for (const t of times) byFile.set(t.file, (byFile.get(t.file) || 0) + t.seconds);
      const rows = [...byFile].sort((a, b) => b[1] - a[1]).map(([file, s]) => `${s.toFixed(1).padStart(7)} s  ${file}`);
      if (process.env.FILE_TIMES_OUT) fs.writeFileSync(process.env.FILE_TIMES_OUT, `${rows.join('\n')}\n`);
      process.stdout.write(`\n  slowest test files:\n${rows.slice(0, 10).map((r) => `  ${r}`).join('\n')}\n`);
    });
  }
}

module.exports = FileTimes;
