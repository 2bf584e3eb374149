// Lint keeps the processes apart: an import across a process line is an error here,
// not a review comment. See docs/architecture.md for who owns what.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

const noNode = {
  paths: nodeBuiltins.map((name) => ({ name, message: 'No Node built-ins here.' })),
};

/** @param {string[]} groups @param {string} message */
const forbid = (groups, message) => ({ group: groups, message });

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', '.data/', '.bench/', '.stage/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noNode,
          patterns: [
            forbid(
              [
                'electron',
                'better-sqlite3',
                'better-sqlite3-multiple-ciphers',
                'socket.io',
                'socket.io-client',
                'express',
                'ws',
                'react',
                'react-dom',
                'dexie',
              ],
              'shared/ is pure: no I/O libraries.',
            ),
            forbid(
              ['**/electron/**', '**/renderer/**', '**/server/**', '**/knowledge-base/**'],
              'shared/ imports nothing from a process folder.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          ...noNode,
          patterns: [
            forbid(
              [
                'electron',
                'better-sqlite3',
                'better-sqlite3-multiple-ciphers',
                'socket.io',
                'express',
                'ws',
              ],
              'The renderer reaches the desk only through the typed desk API.',
            ),
            forbid(
              ['**/electron/**', '**/server/**', '**/knowledge-base/**'],
              'The renderer imports only renderer/ and shared/.',
            ),
          ],
        },
      ],
    },
  },
  {
    // The customer's chat page, served by the central server: a browser page
    // that reaches the server only over its socket and shared/ contracts.
    files: ['customer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noNode,
          patterns: [
            forbid(
              ['**/electron/**', '**/server/**', '**/renderer/**', '**/knowledge-base/**'],
              'The customer page imports only customer/ and shared/.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(
              ['electron', 'dexie', 'react', 'react-dom', 'socket.io-client'],
              'The server is a plain Node service.',
            ),
            forbid(
              ['**/electron/**', '**/renderer/**'],
              'The server imports only server/, shared/ and knowledge-base/.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'knowledge-base/**/*.ts'],
    ignores: [
      'electron/main.ts',
      'electron/ipc-main.ts',
      'electron/desk-services.ts',
      'electron/preload/**',
    ],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(
              ['electron'],
              'Only the thin Electron shell (main.ts, ipc-main.ts, desk-services.ts, preload/) imports electron; services run in plain Node too.',
            ),
            forbid(
              ['**/renderer/**', '**/server/**', 'react', 'react-dom', 'dexie'],
              'Desk services import only electron/, shared/ and knowledge-base/.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noNode,
          patterns: [
            forbid(
              ['**/services/**', 'better-sqlite3', 'better-sqlite3-multiple-ciphers'],
              'The sandboxed preload only bridges named functions.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node } },
  },
);
