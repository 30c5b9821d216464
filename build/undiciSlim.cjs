/**
 * What `import … from 'undici'` in the transport gets, in place of undici's index:
 * only the parts it uses, the dispatchers (Agent, Pool, ProxyAgent, with the Client and
 * both llhttp parsers they need) and the `request` API. undici's index also loads fetch,
 * WebSocket, EventSource, the caches, the mocks and the interceptors, and installs a
 * global dispatcher: about 60% of the bundle, none of it used.
 *
 * esbuild.js serves this file from undici's package folder, so `./lib/...` below are
 * undici's own files, and fails the build when the installed undici is not the version
 * this file was written for (`UNDICI_SLIM_WRITTEN_FOR` there): these internal paths and
 * `request` below follow that version's index.js.
 */
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

/**
 * undici's own `request` wrapper (`makeDispatcher` in undici/index.js), minus the
 * global-dispatcher default, which is loaded only when a caller passes no dispatcher
 * (the transport always passes one).
 */
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
