// Two projects: fast unit tests with injected fakes, and integration tests that talk to
// the local AWS emulator (moto) started once per run by tests/support/global-setup.ts.
/** @type {import('ts-jest').TsJestGlobalOptions} */
const tsJest = {
  tsconfig: { module: 'commonjs', moduleResolution: 'node10', isolatedModules: true },
};
const transform = { '^.+\\.ts$': ['ts-jest', tsJest] };

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
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '\\.e2e\\.test\\.ts$'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/tests/**/*.int.test.ts', '<rootDir>/tests/**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/support/per-file-setup.ts'],
    },
  ],
};
