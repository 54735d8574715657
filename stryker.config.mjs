// Mutation testing: `npm run mutation` (docs in README, "Mutation testing").
// One folder: `npm run mutation -- --mutate 'lambda/src/**/*.ts'`; full rerun: add `--force`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  mutate: [
    'lambda/src/**/*.ts',
    'producer/src/**/*.ts',
    'actions/shared/**/*.ts',
    'actions/*/src/**/*.ts',
    'bootstrap/src/**/*.ts',
    // The actions' entry files and lambda/src/handler.ts only wire real clients into run(deps)
    // and run in the built bundles, which no mutant reaches: their mutants are reported as not
    // covered and count against the score (see README).
  ],
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'tests/stryker/jest.config.js',
    enableFindRelatedTests: true,
  },
  checkers: ['typescript'],
  tsconfigFile: 'tests/stryker/tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  thresholds: { high: 90, low: 80, break: 80 },
  // The machine is shared: one test process by default (`--concurrency 2` where cores are free).
  concurrency: 1,
  timeoutMS: 5000,
  // Only what the tests and the checker need goes into the sandbox.
  ignorePatterns: [
    '.local',
    '.venv',
    'reports',
    'coverage',
    'appspec/app',
    'lambda/dist',
    'producer/dist',
    'actions/*/dist',
  ],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
