/** The deployment's configuration: schema, validation with readable errors, and the facts derived from it. */
export { domainOf } from '../addresses.js';
export { eventBusName, receiptRecipients, sesReceivingDomains, watchedAddresses } from './derived.js';
export { ConfigurationError, formatPath, parseConfiguration } from './parse.js';
export {
  ACM_MAILBOXES,
  type Configuration,
  type ConfigurationInput,
  configurationSchema,
  type NamedAccount,
  type OrganizationAccounts,
  type OurAccounts,
  type Owner,
  type RoutingRule,
  type ValidationDomain,
} from './schema.js';
export { isSesReceivingRegion, SES_RECEIVING_REGIONS, type SesReceivingRegion } from './ses-regions.js';
