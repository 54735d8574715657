// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Product code: what ships or what `npm run local` runs (the shape rules below hold for it). */
const product = [
  'actions/*/src/**/*.ts',
  'actions/shared/**/*.ts',
  'lambda/src/**/*.ts',
  'producer/src/**/*.ts',
  'bootstrap/src/**/*.ts',
  'sizing/src/**/*.ts',
  'local-pipeline/**/*.ts',
  'scripts/**/*.ts',
];

const typeChecked = tseslint.configs.strictTypeChecked.map((config) => ({
  ...config,
  files: ['**/*.ts'],
}));

export default tseslint.config(
  {
    ignores: [
      'actions/*/dist/**',
      'lambda/dist/**',
      'producer/dist/**',
      'appspec/app/**',
      'node_modules/**',
      '.venv/**',
      'coverage/**',
      '.local/**',
      '.stryker-tmp/**',
      'reports/**',
    ],
  },
  eslint.configs.recommended,
  ...typeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    // Shape: a product file a reader can hold in mind, a function that fits on a screen. (Import
    // circles, type-only imports included, are found by tests/shape/import-cycles.test.ts.)
    files: product,
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 50, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The local pipeline drives the emulator like the tests do, on values it has just created.
    files: ['tests/**/*.ts', 'local-pipeline/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // jest's asymmetric matchers (expect.any, expect.stringMatching) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
