// Lint: typescript-eslint's recommended rules, and the architecture's boundaries
// (docs/architecture.md):
// - src/core never imports vscode;
// - the activation bundle (dist/extension.js) takes only types from the lazily loaded
//   side (src/core/oidc, signin, transport, portal, credentials/manager.ts: dist/transport.js; src/vscode/ui:
//   dist/ui.js), which it reaches at run time through src/vscode/transportBundle.ts and
//   src/vscode/uiBundle.ts;
// - nothing but src/vscode/testSeams.ts reaches the test seams in src/testing.
// The JavaScript (esbuild.js, build/*.cjs, scripts/*.js, the consumer fixture) is
// CommonJS for node.
import tseslint from 'typescript-eslint';

/** The lazily loaded folders: only `import type` from them outside them. */
const LAZY_SIDE = {
  regex: '(^|/)(core/)?(oidc|signin|transport|portal)/|(^|/)ui/|(^|/)credentials/manager$',
  allowTypeImports: true,
  message:
    'This is in a lazily loaded bundle (src/core/{oidc,signin,transport,portal} and credentials/manager.ts: dist/transport.js; src/vscode/ui: dist/ui.js): import only types from it here, and reach its values through loadTransportBundle() or loadUiBundle().',
};

/** The test seams: only src/vscode/testSeams.ts may load them, so the Marketplace build has none. */
const TEST_SEAMS = {
  regex: '(^|/)testing/',
  message: 'src/testing is for tests only: reach it through src/vscode/testSeams.ts, which the Marketplace build leaves out.',
};

/** The node globals the CommonJS files use; no-undef flags any other. */
const nodeGlobals = Object.fromEntries(
  ['require', 'module', 'exports', '__dirname', '__filename', 'process', 'console', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'setImmediate'].map((name) => [
    name,
    'readonly',
  ]),
);

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.bench/**', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core must not depend on VS Code: inject what it needs.' }] }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/core/oidc/**', 'src/core/signin/**', 'src/core/transport/**', 'src/core/portal/**', 'src/vscode/ui/**', 'src/testing/**', 'src/vscode/testSeams.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [LAZY_SIDE, TEST_SEAMS] }] },
  },
  {
    files: ['src/core/oidc/**/*.ts', 'src/core/signin/**/*.ts', 'src/core/transport/**/*.ts', 'src/core/portal/**/*.ts', 'src/vscode/ui/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [TEST_SEAMS] }] },
  },
  {
    files: ['src/vscode/testSeams.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [LAZY_SIDE] }] },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
    rules: {
      // CommonJS loads with require().
      '@typescript-eslint/no-require-imports': 'off',
      'no-undef': 'error',
    },
  },
);
