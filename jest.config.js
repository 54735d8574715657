// Two projects: fast unit tests with injected fakes, and integration tests that talk to
// the local AWS emulator (moto) started once per run by tests/support/global-setup.ts.
/** @type {import('ts-jest').TsJestGlobalOptions} */
const tsJest = {
  tsconfig: {
    module: 'commonjs',
    moduleResolution: 'node10',
    isolatedModules: true,
    allowJs: true,
  },
};
const transform = { '^.+\\.[jt]s$': ['ts-jest', tsJest] };
// @actions/expressions ships only ES modules; ts-jest compiles it to CommonJS like our sources.
const transformIgnorePatterns = ['/node_modules/(?!@actions/expressions/)'];
// Stryker's sandboxes (npm run mutation) hold a copy of the repository: not ours to load or run.
const modulePathIgnorePatterns = ['<rootDir>/.stryker-tmp/'];
// …and exports it under the `import` condition only, which jest's CommonJS resolver ignores.
const moduleNameMapper = {
  '^@actions/expressions$': '<rootDir>/node_modules/@actions/expressions/dist/index.js',
};

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  // Integration tests wait on a real emulator; unit tests never come near this.
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
      modulePathIgnorePatterns,
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '\\.e2e\\.test\\.ts$'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
      modulePathIgnorePatterns,
      testMatch: ['<rootDir>/tests/**/*.int.test.ts', '<rootDir>/tests/**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/support/per-file-setup.ts'],
    },
  ],
};
