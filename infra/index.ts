/**
 * The package's public entry point (`import { AcmValidationMail } from 'acm-validation-mail'`): the construct and its
 * props, the ready-made stack the repository's own app deploys, the configuration file reader, and the schemas the
 * product promises to keep (README, "Versioning"): the props, and the product events' detail types. Everything not
 * exported here is internal and may change in any release.
 */

export { EXAMPLE_CONFIGURATION, readConfigurationFile } from '../handlers/adapters/configuration-file.js';
export { InputFileError } from '../handlers/adapters/input-files.js';
export { type Configuration, ConfigurationError } from '../handlers/core/configuration/index.js';
export {
  type ApprovalRequestedDetail,
  type CertificateIssuedDetail,
  PRODUCT_EVENT_SCHEMA_VERSION,
  PRODUCT_EVENT_SOURCE,
  PRODUCT_EVENT_TYPES,
  type ProductEventDetailBase,
  type ProductEventDetails,
  type ProductEventType,
  type RenewalMailMissingDetail,
  type SecurityAlertDetail,
} from '../handlers/core/product-events.js';
export { AcmValidationMail, type ApprovalsSubscriptionOptions } from './acm-validation-mail.js';
export type * from './acm-validation-mail-props.js';
export { AcmMemberAccount, type AcmMemberAccountProps } from './constructs/acm-member-account.js';
export {
  AcmMemberAccountStack,
  type AcmMemberAccountStackProps,
  memberStackName,
  statusRoleName,
} from './member-stack.js';
export { AcmValidationMailStack, type AcmValidationMailStackProps } from './stack.js';
export { ValidationMailPipeline } from './validation-mail-pipeline.js';
