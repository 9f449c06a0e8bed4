// One suite, run once per database by test/run-all.js (TEST_DB=sqlite | mariadb).
// Browser tests (test/browser) drive a real server process and Chromium: once, in the SQLite pass.
// TEST_PART=api leaves them out, TEST_PART=browser runs only them (test/run-all.js runs the parts
// as separate stages).
const part = process.env.TEST_PART || '';
const browserTests = (process.env.TEST_DB || 'sqlite') === 'sqlite' && part !== 'api';
// `npm run test:sqlite -- test/x.test.ts` runs just the files named (mocha would add the whole suite).
const named = process.argv.slice(2).some((arg) => /\.test\.ts$/.test(arg));
// Two deployments in two server processes, one on SQLite and one on the pass's database: in the MariaDB
// pass that pairs SQLite with MariaDB, which covers both; the SQLite pass would only repeat it (3 min).
const pairedDeployments = ['test/exchange/native.test.ts', 'test/exchange/ecms-exchange.test.ts'];
const sqlitePass = (process.env.TEST_DB || 'sqlite') === 'sqlite';

module.exports = {
  require: ['tsx/cjs'],
  file: ['test/setup.ts'],
  spec: named ? [] : part === 'browser' ? ['test/browser/**/*.test.ts'] : ['test/**/*.test.ts'],
  ignore: [...(browserTests ? [] : ['test/browser/**']), ...(sqlitePass && !named ? pairedDeployments : [])],
  timeout: 30000,
  slow: 2000,
  forbidOnly: true,
  exit: true,
};
