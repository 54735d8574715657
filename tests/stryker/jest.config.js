// The jest configuration `npm run mutation` uses: one flat project (Stryker's coverage
// environment replaces the top-level test environment only) with the tests that import product
// code. Tests that only run the built bundles (dist/) in child processes cannot see a mutant
// and are left out; so are the template, workflow and scanner tests, which cover no product code.
const base = require('../../jest.config.js');
const unit = base.projects[0];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  testTimeout: 60000,
  transform: unit.transform,
  transformIgnorePatterns: unit.transformIgnorePatterns,
  moduleNameMapper: unit.moduleNameMapper,
  testMatch: [
    '<rootDir>/tests/lambda/**/*.test.ts',
    '<rootDir>/tests/producer/**/*.test.ts',
    '<rootDir>/tests/actions/**/*.test.ts',
    '<rootDir>/tests/bootstrap/**/*.test.ts',
  ],
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/tests/lambda/bundle\\.test\\.ts$',
    // Loads the built lambda/dist bundle (not in Stryker's sandbox), so no mutant can reach it.
    '<rootDir>/tests/lambda/excursions\\.int\\.test\\.ts$',
    // 500 devices over ten concurrent partitions (over a minute a run): a surviving mutant would
    // run it whole. Its verdict (concurrent = sequential) rests on the conditional writes that
    // tests/lambda/devices.test.ts, detector.int.test.ts and detector-redelivery.int.test.ts
    // check mutant by mutant.
    '<rootDir>/tests/lambda/concurrent\\.int\\.test\\.ts$',
    '<rootDir>/tests/producer/(bundle|producer|fleet)\\.int\\.test\\.ts$',
    '<rootDir>/tests/actions/.*\\.int\\.test\\.ts$',
    // Run `npm run bootstrap` in child processes.
    '<rootDir>/tests/bootstrap/.*\\.e2e\\.test\\.ts$',
  ],
  globalSetup: '<rootDir>/tests/stryker/global-setup.ts',
  setupFilesAfterEnv: ['<rootDir>/tests/stryker/per-file-setup.ts'],
};
