/**
 * The Lambda bundles' stand-in for joi (146 KB minified). mailauth 4.13.3 uses joi for exactly one thing on the DKIM
 * path: `Joi.string().base64({ paddingRequired: false }).validate(key)` on the public key from DNS (lib/tools.js).
 * This answers that, strictly; anything else throws, so a mailauth upgrade that uses more of joi fails the bundle
 * test (test/infra/bundling.test.ts verifies a signed mail with the bundled router) instead of changing behaviour.
 */
'use strict';

const BASE64_UNPADDED = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const BASE64_PADDED = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function unsupported(what) {
  throw new Error(`bundle shim for joi: ${what} is not supported (see infra/bundle-shims/joi.cjs)`);
}

module.exports = {
  string() {
    return {
      base64(options = {}) {
        const pattern = options.paddingRequired === false ? BASE64_UNPADDED : BASE64_PADDED;
        return {
          validate(value) {
            return typeof value === 'string' && pattern.test(value)
              ? { value }
              : { value, error: new Error('"value" must be a valid base64 string') };
          },
        };
      },
    };
  },
  object: () => unsupported('Joi.object'),
  any: () => unsupported('Joi.any'),
};
