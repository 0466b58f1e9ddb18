/**
 * Compiled by `npm run typecheck` (tsc), not run: it fails to compile when `AcmValidationMailProps` and the
 * configuration schema's input type disagree, field by field and all the way down (a field in one and not the
 * other, a field optional in one and required in the other, a different type or set of values).
 *
 * When it fails after a field was added to handlers/core/configuration/schema.ts: add the same field, with its doc
 * comment (and `@default` when optional), to infra/acm-validation-mail-props.ts, then `npm run generate:reference`.
 */

import type { ConfigurationInput } from '../../handlers/core/configuration/index.js';
import type { AcmValidationMailProps } from '../../infra/acm-validation-mail-props.js';

/** Arrays and objects made readonly all the way down: the props are readonly, the schema's input type is not. */
type Normal<T> = T extends readonly (infer E)[]
  ? readonly Normal<E>[]
  : T extends object
    ? { readonly [K in keyof T]: Normal<T[K]> }
    : T;

/** True only when A and B are the same type (not merely assignable to each other). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Names the keys that differ, so the compiler's message says where to look. */
type KeysOnlyIn<A, B> = Exclude<keyof A, keyof B>;

export const propsHaveEveryField: [KeysOnlyIn<ConfigurationInput, AcmValidationMailProps>] extends [never]
  ? true
  : false = true;
export const propsHaveNoOtherField: [KeysOnlyIn<AcmValidationMailProps, ConfigurationInput>] extends [never]
  ? true
  : false = true;
export const propsMatchTheSchema: Same<Normal<AcmValidationMailProps>, Normal<ConfigurationInput>> = true;
