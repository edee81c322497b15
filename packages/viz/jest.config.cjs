// fast-png and its iobuffer dependency ship ES modules only; Jest's CommonJS runtime needs them transformed
// (pnpm keeps them under node_modules/.pnpm/<name>@<version>/node_modules/<name>/).
module.exports = {
  ...require('../../jest.preset.cjs'),
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?(fast-png|iobuffer)[@/])'],
};
