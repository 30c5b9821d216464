// Lint: typescript-eslint's recommended rules, and the architecture's boundaries
// (docs/architecture.md):
// - src/core never imports vscode;
// - the activation bundle (dist/extension.js) takes only types from the lazily loaded
//   side (LAZY_FILES: dist/lazy.js), which it reaches at run time through the one port in
//   src/vscode/lazy.ts;
// - nothing but src/vscode/testSeams.ts reaches the test seams in src/testing.
// The JavaScript (esbuild.js, build/*.cjs, scripts/*.js, the consumer fixture) is
// CommonJS for node.
import tseslint from 'typescript-eslint';

/**
 * The lazily loaded side (dist/lazy.js, entry src/vscode/ui/bundle.ts): everything that
 * writes a record, sends a request or prompts. The one list the lint rules are built from.
 * A domain folder's model.ts (types and id patterns) stays on the activation side, as
 * portal/model.ts does: activation checks a stored selection's ids with its patterns.
 */
const LAZY_FILES = [
  'src/core/oidc/**',
  'src/core/signin/**',
  'src/core/transport/**',
  'src/core/portal/client.ts',
  'src/core/portal/responses.ts',
  'src/core/registration/manager.ts',
  'src/core/sessions/manager.ts',
  'src/core/sessions/endWarnings.ts',
  'src/core/credentials/manager.ts',
  'src/core/credentials/environmentFormats.ts',
  'src/core/instance/parts.ts',
  'src/core/common/lease.ts',
  'src/core/common/singleFlight.ts',
  'src/vscode/ui/**',
];

/** An import specifier that reaches a lazy file: a folder by its name and a slash, a file by its path's end. */
const lazyImport = LAZY_FILES.map((glob) => {
  const [top, ...rest] = glob.slice('src/'.length).replace(/\/\*\*$/, '/').replace(/\.ts$/, '$').split('/');
  return `(^|/)(${top}/)?${rest.join('/')}`;
}).join('|');

/** Only `import type` from the lazy side outside it. */
const LAZY_SIDE = {
  regex: lazyImport,
  allowTypeImports: true,
  message: 'This is in the lazily loaded bundle (dist/lazy.js; eslint.config.mjs LAZY_FILES): import only types from it here, and reach it at run time through src/vscode/lazy.ts.',
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
    ignores: [...LAZY_FILES, 'src/testing/**', 'src/vscode/testSeams.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [LAZY_SIDE, TEST_SEAMS] }] },
  },
  {
    files: LAZY_FILES,
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
