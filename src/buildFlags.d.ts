/**
 * Constants esbuild substitutes at build time (`esbuild.js` `define`).
 */

/** True in the development build (tests), false in the Marketplace build: Test-mode seams ship only when true. */
declare const IIC_TEST_HOOKS: boolean;
