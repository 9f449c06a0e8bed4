// One suite, run once per database by test/run-all.js (TEST_DB=sqlite | mariadb).
module.exports = {
  require: ['tsx/cjs'],
  file: ['test/setup.ts'],
  spec: ['test/**/*.test.ts'],
  timeout: 30000,
  slow: 2000,
  forbidOnly: true,
  exit: true,
};
