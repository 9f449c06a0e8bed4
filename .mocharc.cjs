// One suite, run once per database by test/run-all.js (TEST_DB=sqlite | mariadb).
// Browser tests (test/browser) drive a real server process and Chromium: once, in the SQLite pass.
// TEST_PART=api leaves them out, TEST_PART=browser runs only them (test/run-all.js runs the parts
// as separate stages).
const part = process.env.TEST_PART || '';
const browserTests = (process.env.TEST_DB || 'sqlite') === 'sqlite' && part !== 'api';
// `npm run test:sqlite -- test/x.test.ts` runs just the files named (mocha would add the whole suite).
const named = process.argv.slice(2).some((arg) => /\.test\.ts$/.test(arg));

module.exports = {
  require: ['tsx/cjs'],
  file: ['test/setup.ts'],
  spec: named ? [] : part === 'browser' ? ['test/browser/**/*.test.ts'] : ['test/**/*.test.ts'],
  ignore: browserTests ? [] : ['test/browser/**'],
  timeout: 30000,
  slow: 2000,
  forbidOnly: true,
  exit: true,
};
