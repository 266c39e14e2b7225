import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// No shell strings anywhere: child processes only through execFile/spawn with an argument array.
const NO_SHELL = 'No shell strings: use execFile/spawn with an argument array.';
const noShellImports = ['child_process', 'node:child_process'].map((name) => ({
  name,
  importNames: ['exec', 'execSync'],
  message: NO_SHELL,
}));
// The engine must stay plain Node: only the Electron glue may import electron.
const noElectron = {
  name: 'electron',
  message: 'Only main.ts, preload.ts and electron/ipc/ may import electron.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['electron/**/*.ts', 'e2e/**/*.ts', '*.config.ts', 'electron/**/*.mjs', '*.mjs'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...noShellImports] }],
      'no-restricted-properties': [
        'error',
        { object: 'child_process', property: 'exec', message: NO_SHELL },
        { object: 'child_process', property: 'execSync', message: NO_SHELL },
      ],
    },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts', 'electron/ipc/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: noShellImports }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer reaches main only through window.streamDoctor.' },
          ],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
