// Shared Jest settings: TypeScript through SWC (fast, no type-check: `pnpm typecheck` does that),
// and workspace packages resolved to their sources via the "source" export condition.
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true } }, module: { type: 'commonjs' } },
    ],
  },
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'require', 'default'] },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'cjs', 'mjs', 'json'],
  // Only ends a hung test; never a performance bound (a cold LFW decode takes minutes on a busy 2-core machine).
  testTimeout: 30 * 60_000,
  // fast-png and iobuffer ship ES modules only: let SWC transform them too.
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?(fast-png|iobuffer)[@/])'],
};
