/**
 * The Lambda bundles' stand-in for tldts (109 KB minified: the public suffix list). mailauth 4.13.3 uses it on the
 * DKIM path only in getAlignment (lib/tools.js), for the `aligned` flag of a DKIM result, which this product never
 * reads: returning null makes mailauth compare whole domains instead. Anything else throws (see joi.cjs).
 */
'use strict';

module.exports = {
  getDomain: () => null,
  parse: () => {
    throw new Error('bundle shim for tldts: parse is not supported (see infra/bundle-shims/tldts.cjs)');
  },
};
