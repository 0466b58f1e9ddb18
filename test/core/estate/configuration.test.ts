/** The configuration's `estate` block: regions and extra hosted zones, each problem named with its value. */
import { describe, expect, it } from 'vitest';
import { ConfigurationError, parseConfiguration } from '../../../handlers/core/configuration/index.js';
import { exampleWith, type RawConfiguration } from '../../support/configuration.js';

function parse(config: RawConfiguration) {
  try {
    return { config: parseConfiguration(config, 'test.json'), problems: [] as readonly string[] };
  } catch (error) {
    if (error instanceof ConfigurationError) return { config: null, problems: error.problems };
    throw error;
  }
}

describe('config.estate', () => {
  it('defaults to no extra zones and the default regions', () => {
    expect(parse(exampleWith(() => {})).config?.estate).toEqual({ hostedZones: [], readerRoleArns: [] });
  });

  it('takes regions of any partition and hosted zones', () => {
    const { config } = parse(
      exampleWith((c) => {
        c.estate = {
          regions: ['us-east-1', 'cn-north-1', 'us-gov-west-1'],
          hostedZones: [{ id: 'Z123ABC', name: 'example.org' }],
        };
      }),
    );
    expect(config?.estate).toEqual({
      regions: ['us-east-1', 'cn-north-1', 'us-gov-west-1'],
      hostedZones: [{ id: 'Z123ABC', name: 'example.org' }],
      readerRoleArns: [],
    });
  });

  it('names a bad region, an empty list and a bad zone id', () => {
    const { problems } = parse(
      exampleWith((c) => {
        c.estate = { regions: ['europe'], hostedZones: [{ id: 'z12', name: 'example.org' }] };
      }),
    );
    expect(problems.join('\n')).toContain('config.estate.regions[0]: "europe" is not an AWS region name');
    expect(problems.join('\n')).toContain('config.estate.hostedZones[0].id: "z12" is not a hosted zone id');
    expect(
      parse(
        exampleWith((c) => {
          c.estate = { regions: [] };
        }),
      ).problems.join('\n'),
    ).toContain('config.estate.regions: ');
    expect(
      parse(
        exampleWith((c) => {
          c.estate = { readerRoleArns: ['arn:aws:iam::123456789012:user/alice'] };
        }),
      ).problems.join('\n'),
    ).toContain(
      'config.estate.readerRoleArns[0]: "arn:aws:iam::123456789012:user/alice" is not an IAM role ARN or pattern',
    );
  });
});
