// The end-to-end test drives Debian's Chromium through playwright-core against a built copy of the site.
// fast-png (used by @lrpjs/viz to write the fixture's atlas) and iobuffer ship ES modules only: transform them.
module.exports = {
  ...require('../../jest.preset.cjs'),
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?(fast-png|iobuffer)[@/])'],
  testTimeout: 180000,
};
