// One lint configuration for the whole monorepo: every package's `lint` script runs ESLint from its own folder and
// finds this file by walking up. Formatting is Prettier's job (`pnpm format:check`), so no stylistic rules here.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.turbo/**',
      '**/coverage/**',
      '**/runs/**',
      'apps/web/public/**',
      'packages/models/src/transfer/assets/**',
      // AssemblyScript (compiled by asc, not tsc): decorators and v128 types eslint's parser rejects.
      'packages/models/simd/assembly/**',
      '**/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Control characters in regexes are deliberate here: ANSI escapes in progress output, XML 1.0 sanitizing.
      'no-control-regex': 'off',
      // `_`-prefixed names mark parameters a signature needs but the body does not (tfjs kernel and rule shapes).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
);
