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

// The layers, enforced (docs/architecture.md): each folder may import only what lies below it. Every entry keeps
// the two bans above, because a later `no-restricted-imports` replaces an earlier one for the same files.
const TESTS = ['**/*.test.ts', '**/*.test.tsx'];
const below = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;
const LAYERS = [
  {
    files: ['electron/probes/**/*.ts'],
    regex: below(['diagnosis', 'engine', 'ipc']),
    message: 'Probes only talk to the network: they never import diagnosis/, engine/ or ipc/.',
  },
  {
    files: ['electron/diagnosis/**/*.ts'],
    regex: below(['engine', 'ipc', 'windows/fixes']),
    message: 'The diagnosis is pure: it never imports engine/, ipc/ or the Windows fixes.',
  },
  {
    files: ['electron/engine/**/*.ts'],
    regex: below(['ipc']),
    message: 'The engine is plain Node used by the CLI and the app alike: it never imports ipc/.',
  },
  {
    files: ['electron/windows/**/*.ts'],
    regex: below(['ipc']),
    message: 'The Windows layer never imports ipc/: the IPC adapter imports it, not the other way round.',
  },
  {
    files: ['electron/common/**/*.ts'],
    ignores: ['electron/common/**/*.test.ts'],
    regex: '^(?!\\./)',
    message:
      'The shared layer is dependency-free (the renderer bundles it): it imports only its sibling files.',
  },
];

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
  // Tests may reach across layers to check how they fit together; shipped code may not.
  ...LAYERS.map(({ files, ignores = [], regex, message }) => ({
    files,
    ignores: [...ignores, ...TESTS],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron, ...noShellImports], patterns: [{ regex, message }] },
      ],
    },
  })),
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
          patterns: [
            {
              regex: '^(\\.\\./)+electron/(?!common/|ipc/contract$)',
              message:
                'The renderer imports only the shared report layer (electron/common/) and the IPC contract.',
            },
          ],
        },
      ],
    },
  },
  {
    files: TESTS.map((pattern) => `renderer/${pattern}`),
    rules: {
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
