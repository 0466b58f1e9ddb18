/**
 * The estate in the local run: the ACM and STS stub seeded with the example estate, listed through the production
 * adapters (the lister, and the mail history from the run's own state table), the report written as out/estate.json
 * and out/estate.csv. The digest shows the same report.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACMClient } from '@aws-sdk/client-acm';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STSClient } from '@aws-sdk/client-sts';
import { acmEstateLister } from '../adapters/acm-estate-lister.js';
import { dynamoDbMailHistory } from '../adapters/dynamodb-mail-history.js';
import type { Configuration } from '../core/configuration/index.js';
import type { EstateReport } from '../core/estate/certificate.js';
import { estateCsvOf, estateJson } from '../core/estate/output.js';
import { knownHostedZones } from '../core/estate/scope.js';
import { makeEstate } from '../estate/estate.js';
import { startAcmEstateStub } from './acm-estate-stub.js';
import { exampleEstate } from './estate-seed.js';
import { LOCAL_CREDENTIALS } from './services.js';

export const ESTATE_FILES = { json: 'estate.json', csv: 'estate.csv' } as const;

/**
 * The local run's estate: listed when any account has a status role (the example configuration's do), else null
 * (no estate files, no digest section).
 */
export async function localEstate(
  configuration: Configuration,
  dynamodb: DynamoDBClient,
  table: string,
): Promise<EstateReport | null> {
  if (!configuration.accounts.list.some((account) => account.statusRoleArn)) return null;
  return runLocalEstate({ configuration, dynamodb, table, clock: () => new Date() });
}

export async function runLocalEstate(options: {
  readonly configuration: Configuration;
  readonly dynamodb: DynamoDBClient;
  readonly table: string;
  readonly clock: () => Date;
}): Promise<EstateReport> {
  const stub = await startAcmEstateStub(exampleEstate(options.clock()));
  try {
    const sts = new STSClient({
      region: options.configuration.region,
      endpoint: stub.endpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    return await makeEstate({
      configuration: options.configuration,
      lister: acmEstateLister({
        sts,
        acmClient: async (region, credentials) => new ACMClient({ region, endpoint: stub.endpoint, credentials }),
      }),
      history: dynamoDbMailHistory(options.dynamodb, options.table),
      clock: options.clock,
    })();
  } finally {
    await stub.stop();
  }
}

export function writeEstateFiles(outDir: string, report: EstateReport, configuration: Configuration, now: Date): void {
  const zones = knownHostedZones(configuration);
  writeFileSync(join(outDir, ESTATE_FILES.json), estateJson(report, zones, now));
  writeFileSync(join(outDir, ESTATE_FILES.csv), estateCsvOf(report, zones, now));
}
