// Bundles the extension. `node esbuild.js` builds for development (source maps);
// `node esbuild.js --production` minifies and leaves source contents out.
// Two entry points: the activation bundle, and the HTTP stack (undici) that the
// activation bundle loads only on first network use, so a cached start stays small.
'use strict';
const esbuild = require('esbuild');

const production = process.argv.includes('--production');

async function main() {
  await esbuild.build({
    entryPoints: { extension: 'src/extension.ts', transport: 'src/core/undiciTransport.ts' },
    bundle: true,
    outdir: 'dist',
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    external: ['vscode', './transport.js'],
    minify: production,
    sourcemap: production ? false : 'linked',
    sourcesContent: !production,
    legalComments: production ? 'none' : 'inline',
    logLevel: 'warning',
  });
}

main().catch((error) => {
  process.stderr.write(`esbuild failed: ${error && error.message ? error.message : error}\n`);
  process.exit(1);
});
