/**
 * Regions where SES receives mail (an MX record `10 inbound-smtp.<region>.amazonaws.com` works there).
 *
 * Source: AWS General Reference, "Amazon Simple Email Service endpoints and quotas", table "Email receiving
 * endpoints" (docs.aws.amazon.com/general/latest/gr/ses.html), as listed in January 2024. Elsewhere the SES API
 * answers receipt-rule calls with `InvalidAction: Unavailable Operation`, so a stack there could never receive mail.
 * When AWS adds a region, add it here with the date it was checked.
 */
export const SES_RECEIVING_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-northeast-1',
] as const;

export type SesReceivingRegion = (typeof SES_RECEIVING_REGIONS)[number];

export function isSesReceivingRegion(region: string): region is SesReceivingRegion {
  return (SES_RECEIVING_REGIONS as readonly string[]).includes(region);
}
