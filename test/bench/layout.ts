/**
 * Which bundles a build is made of, so the bench measures this checkout's build and a
 * baseline commit's alike (`--baseline=REV`). Both layouts start from `extension.js`;
 * what loads on first use differs:
 *
 * - this checkout: one lazy bundle, `lazy.js` (commands, prompts, writes and the HTTP stack);
 * - before it (up to 172d4c1): `transport.js` (the HTTP stack, loaded on the first request)
 *   and `ui.js` (commands and prompts, loaded on the first command or view).
 *
 * Both put undici's WebAssembly parser beside them in `llhttp-wasm.js`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The bundle a cached activation loads, in either layout. */
export const ACTIVATION_BUNDLE = 'extension.js';

/** The files of one build that only load on first use, and which of them holds the HTTP stack. */
export interface BundleLayout {
  /** `lazy.js`, or `transport.js` and `ui.js`. */
  lazy: string[];
  /** The lazy file that loads with the first request. */
  network: string;
}

/** This checkout's layout. */
export const ONE_LAZY_BUNDLE: BundleLayout = { lazy: ['lazy.js', 'llhttp-wasm.js'], network: 'lazy.js' };

/** The layout before the one lazy bundle (172d4c1 and earlier). */
export const TRANSPORT_AND_UI: BundleLayout = { lazy: ['transport.js', 'ui.js', 'llhttp-wasm.js'], network: 'transport.js' };

/** The layout of the build in `dist`, told by its files; throws when it is neither. */
export function bundleLayout(dist: string): BundleLayout {
  const has = (file: string) => fs.existsSync(path.join(dist, file));
  if (!has(ACTIVATION_BUNDLE)) throw new Error(`${dist} has no ${ACTIVATION_BUNDLE}: not a build of the extension`);
  if (has(ONE_LAZY_BUNDLE.network)) return ONE_LAZY_BUNDLE;
  if (has(TRANSPORT_AND_UI.network)) return TRANSPORT_AND_UI;
  throw new Error(`${dist} has neither ${ONE_LAZY_BUNDLE.network} nor ${TRANSPORT_AND_UI.network}: a bundle layout the bench does not know`);
}

/** The lazily loaded files among `loaded` (paths relative to the build's folder). */
export function lazyFilesLoaded(layout: BundleLayout, loaded: readonly { file: string }[]): string[] {
  return loaded.map((entry) => entry.file).filter((file) => layout.lazy.includes(file));
}
