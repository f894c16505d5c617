// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'test-results', 'playwright-report', '.tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A service worker must never leak a rejected promise: every one is awaited or handled.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: null },
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
  {
    // src/core must run under Node and in any worker: no browser globals.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        'self',
        'window',
        'document',
        'navigator',
        'indexedDB',
        'caches',
        'clients',
        'BroadcastChannel',
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '../storage/*',
            '../lock/*',
            '../eviction/*',
            '../protocol/*',
            '../sw/*',
            '../client/*',
          ],
        },
      ],
    },
  },
  {
    // The page<->worker wire protocol is shared by both ends: it may use the core, nothing else.
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['../storage/*', '../lock/*', '../eviction/*', '../sw/*', '../client/*'] },
      ],
    },
  },
);
