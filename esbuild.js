// Bundles the extension. `node esbuild.js` builds for development (source maps);
// `node esbuild.js --production` minifies and leaves source contents out.
// `--metafile=FILE` also writes esbuild's metafile (inputs and their bytes per output),
// which `npm run bench` reads to say what makes the activation bundle heavy;
// `--outdir=DIR` builds somewhere other than dist/ (the bench measures its own copy);
// `--watch` (`npm run watch`) builds for development, then again on every change, until stopped.
//
// Entry points: the activation bundle, and the lazy bundle it loads on the first command,
// request or view (the command bodies and UI, the OIDC and portal clients, sign-in and the
// HTTP stack, with undici's parser beside it), so a cached start stays small.
// The output folder is emptied first, so no stale bundle or source map from an earlier build ships.
'use strict';
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const metafileArg = process.argv.find((arg) => arg.startsWith('--metafile='));
const outdirArg = process.argv.find((arg) => arg.startsWith('--outdir='));
const outdir = outdirArg ? outdirArg.slice('--outdir='.length) : 'dist';

/** undici's package folder: where the slim index is served from, so its `./lib/...` resolve there. */
const UNDICI_DIR = path.dirname(require.resolve('undici/package.json'));

/** Our replacement for undici's index (see the file's comment). */
const UNDICI_SLIM = path.join(__dirname, 'build', 'undiciSlim.cjs');

/**
 * The undici version UNDICI_SLIM was written for: it requires undici's internal
 * `./lib/...` files and copies its `request` wrapper, which any release may change.
 */
const UNDICI_SLIM_WRITTEN_FOR = '7.30.2';

/** Why the installed undici cannot be slimmed as written, or undefined when it can. */
function undiciVersionProblem() {
  const { version } = JSON.parse(fs.readFileSync(path.join(UNDICI_DIR, 'package.json'), 'utf8'));
  if (version === UNDICI_SLIM_WRITTEN_FOR) return undefined;
  return (
    `undici ${version} is installed, but ${path.relative(__dirname, UNDICI_SLIM)} was written for undici ${UNDICI_SLIM_WRITTEN_FOR}. ` +
    `Check its require('./lib/...') paths and its request() against undici ${version}'s index.js, ` +
    'then set UNDICI_SLIM_WRITTEN_FOR in esbuild.js to the new version.'
  );
}

/**
 * Serves UNDICI_SLIM for the transport's `undici` import, and leaves out the SIMD build
 * of undici's HTTP parser (72 KB of base64 WebAssembly): undici tries it first and,
 * when it cannot be loaded, uses the plain build that is bundled anyway
 * (lib/dispatcher/client-h1.js, `lazyllhttp`). SIMD only pays off on large bodies; the
 * service's answers are under 2 KB. Anything else is resolved as usual.
 */
const slimUndici = {
  name: 'slim-undici',
  setup(build) {
    build.onStart(() => {
      const problem = undiciVersionProblem();
      return problem ? { errors: [{ text: problem }] } : undefined;
    });
    build.onResolve({ filter: /[\\/]llhttp_simd-wasm\.js$/ }, () => ({ path: 'no-simd', namespace: 'slim-undici' }));
    build.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici-slim', namespace: 'slim-undici' }));
    build.onLoad({ filter: /^no-simd$/, namespace: 'slim-undici' }, () => ({
      // `new WebAssembly.Module(undefined)` throws, which undici catches to fall back.
      contents: 'module.exports = undefined;',
      loader: 'js',
    }));
    build.onLoad({ filter: /^undici-slim$/, namespace: 'slim-undici' }, () => ({
      contents: fs.readFileSync(UNDICI_SLIM, 'utf8'),
      loader: 'js',
      resolveDir: UNDICI_DIR,
      watchFiles: [UNDICI_SLIM],
    }));
  },
};

/**
 * Ships undici's HTTP parser (72 KB of base64 WebAssembly) as its own file,
 * `dist/llhttp-wasm.js`, loaded by `dist/lazy.js` at its first request, so the
 * package is not one file that dwarfs the rest.
 */
const splitLlhttp = {
  name: 'split-llhttp',
  setup(build) {
    build.onResolve({ filter: /[\\/]llhttp-wasm\.js$/ }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: './llhttp-wasm.js', external: true },
    );
  },
};

/** Our replacement for `@vscode/l10n` in the bundles (see the file's comment). */
const L10N_SLIM = path.join(__dirname, 'build', 'l10nSlim.cjs');

/** The options every bundle of the extension is built with (the bench builds one more alike). */
function commonOptions(production) {
  return {
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    plugins: [slimUndici],
    alias: { '@vscode/l10n': L10N_SLIM },
    minify: production,
    sourcemap: production ? false : 'linked',
    sourcesContent: !production,
    legalComments: production ? 'none' : 'inline',
    logLevel: 'warning',
    // The Test-mode seams (src/vscode/testSeams.ts) are in the development build only.
    define: { IIC_TEST_HOOKS: production ? 'false' : 'true' },
  };
}

async function main() {
  fs.rmSync(outdir, { recursive: true, force: true });
  const options = {
    ...commonOptions(production),
    plugins: [slimUndici, splitLlhttp],
    entryPoints: {
      extension: 'src/extension.ts',
      lazy: 'src/vscode/ui/bundle.ts',
      'llhttp-wasm': require.resolve('undici/lib/llhttp/llhttp-wasm.js'),
    },
    outdir,
    external: ['vscode', './lazy.js'],
    metafile: metafileArg !== undefined,
  };
  if (watch) {
    // 'info' reports each rebuild; the process runs until stopped.
    const context = await esbuild.context({ ...options, logLevel: 'info' });
    await context.watch();
    return;
  }
  const result = await esbuild.build(options);
  if (metafileArg) {
    const file = metafileArg.slice('--metafile='.length);
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(result.metafile));
  }
}

module.exports = { commonOptions };

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`esbuild failed: ${error && error.message ? error.message : error}\n`);
    process.exit(1);
  });
}
