// Bundles the extension. `node esbuild.js` builds for development (source maps);
// `node esbuild.js --production` minifies and leaves source contents out.
// `--metafile=FILE` also writes esbuild's metafile (inputs and their bytes per output),
// which `npm run bench` reads to say what makes the activation bundle heavy;
// `--outdir=DIR` builds somewhere other than dist/ (the bench measures its own copy).
//
// Entry points: the activation bundle, and what it loads only on the first request
// (the OIDC client, sign-in and the HTTP stack, with undici's parser beside it), so a
// cached start stays small.
// The output folder is emptied first, so no stale bundle or source map from an earlier build ships.
'use strict';
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const metafileArg = process.argv.find((arg) => arg.startsWith('--metafile='));
const outdirArg = process.argv.find((arg) => arg.startsWith('--outdir='));
const outdir = outdirArg ? outdirArg.slice('--outdir='.length) : 'dist';

/**
 * `import … from 'undici'` in the transport gets only the parts it uses: the
 * dispatchers (Agent, Pool, ProxyAgent, with the Client and both llhttp parsers they
 * need) and the `request` API. undici's index also loads fetch, WebSocket, EventSource,
 * the caches, the mocks and the interceptors, and installs a global dispatcher: about
 * 60% of the bundle, none of it used. `request` below is undici's own wrapper
 * (`makeDispatcher` in undici/index.js), minus the global-dispatcher default, which is
 * loaded only when a caller passes no dispatcher (the transport always passes one).
 * Pinned to the undici version in package.json: check these paths when upgrading it.
 */
const SLIM_UNDICI = `
'use strict';
const Dispatcher = require('./lib/dispatcher/dispatcher');
const Agent = require('./lib/dispatcher/agent');
const Pool = require('./lib/dispatcher/pool');
const ProxyAgent = require('./lib/dispatcher/proxy-agent');
const api = require('./lib/api');
const util = require('./lib/core/util');
const { InvalidArgumentError } = require('./lib/core/errors');

// As undici/index.js does: every dispatcher gets request, stream, pipeline, upgrade
// and connect (ProxyAgent tunnels with connect).
Object.assign(Dispatcher.prototype, api);

function request(url, opts, handler) {
  if (typeof opts === 'function') {
    handler = opts;
    opts = null;
  }
  if (!url || (typeof url !== 'string' && typeof url !== 'object' && !(url instanceof URL))) {
    throw new InvalidArgumentError('invalid url');
  }
  if (opts != null && typeof opts !== 'object') throw new InvalidArgumentError('invalid opts');
  if (opts && opts.path != null) {
    if (typeof opts.path !== 'string') throw new InvalidArgumentError('invalid opts.path');
    url = new URL(util.parseOrigin(url).origin + (opts.path.startsWith('/') ? opts.path : '/' + opts.path));
  } else {
    if (!opts) opts = typeof url === 'object' ? url : {};
    url = util.parseURL(url);
  }
  if (opts.agent) throw new InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?');
  const dispatcher = opts.dispatcher || require('./lib/global').getGlobalDispatcher();
  return api.request.call(
    dispatcher,
    { ...opts, origin: url.origin, path: url.search ? url.pathname + url.search : url.pathname, method: opts.method || (opts.body ? 'PUT' : 'GET') },
    handler,
  );
}

module.exports = { Dispatcher, Agent, Pool, ProxyAgent, request };
`;

/**
 * Serves SLIM_UNDICI for the transport's `undici` import, and leaves out the SIMD build
 * of undici's HTTP parser (72 KB of base64 WebAssembly): undici tries it first and,
 * when it cannot be loaded, uses the plain build that is bundled anyway
 * (lib/dispatcher/client-h1.js, `lazyllhttp`). SIMD only pays off on large bodies; the
 * service's answers are under 2 KB. Anything else is resolved as usual.
 */
const slimUndici = {
  name: 'slim-undici',
  setup(build) {
    build.onResolve({ filter: /[\\/]llhttp_simd-wasm\.js$/ }, () => ({ path: 'no-simd', namespace: 'slim-undici' }));
    build.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici-slim', namespace: 'slim-undici' }));
    build.onLoad({ filter: /^no-simd$/, namespace: 'slim-undici' }, () => ({
      // `new WebAssembly.Module(undefined)` throws, which undici catches to fall back.
      contents: 'module.exports = undefined;',
      loader: 'js',
    }));
    build.onLoad({ filter: /^undici-slim$/, namespace: 'slim-undici' }, () => ({
      contents: SLIM_UNDICI,
      loader: 'js',
      resolveDir: path.dirname(require.resolve('undici/package.json')),
    }));
  },
};

/**
 * Ships undici's HTTP parser (72 KB of base64 WebAssembly) as its own file,
 * `dist/llhttp-wasm.js`, loaded by `dist/transport.js` at its first request, so the
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

/** The options every bundle of the extension is built with (the bench builds one more alike). */
function commonOptions(production) {
  return {
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    plugins: [slimUndici],
    minify: production,
    sourcemap: production ? false : 'linked',
    sourcesContent: !production,
    legalComments: production ? 'none' : 'inline',
    logLevel: 'warning',
  };
}

async function main() {
  fs.rmSync(outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    ...commonOptions(production),
    plugins: [slimUndici, splitLlhttp],
    entryPoints: {
      extension: 'src/extension.ts',
      transport: 'src/core/networkBundle.ts',
      'llhttp-wasm': require.resolve('undici/lib/llhttp/llhttp-wasm.js'),
    },
    outdir,
    external: ['vscode', './transport.js'],
    metafile: metafileArg !== undefined,
  });
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
