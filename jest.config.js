/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/test/env/global-setup.ts',
  globalTeardown: '<rootDir>/test/env/global-teardown.ts',
  testTimeout: 120_000,
  // Suites share two real servers started once; running them serially keeps a 2-core machine responsive.
  maxWorkers: 1,
};
