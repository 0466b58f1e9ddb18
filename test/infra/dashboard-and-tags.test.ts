/** The pipeline's dashboard, and the configuration's tags on every resource. */
import { describe, expect, it } from 'vitest';
import { type ConfigurationError, parseConfiguration } from '../../handlers/core/configuration/index.js';
import {
  ACM_EVENT_METRICS,
  DIGEST_METRICS,
  OUTCOME_METRICS,
  PRODUCT_EVENT_METRICS,
} from '../../handlers/core/metrics.js';
import { exampleWith } from '../support/configuration.js';
import { metricWrittenIn } from '../support/emf.js';
import { logicalId, resourcesOf, synthesiseOnce } from '../support/infra.js';

/** The dashboard's body with its tokens (function names, queue names) left as placeholders. */
function dashboardBody(template: ReturnType<typeof synthesiseOnce>['template']): string {
  const [dashboard] = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody;
  return typeof body === 'string'
    ? body
    : (body['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : '<token>')).join('');
}

describe('the dashboard', () => {
  const { template } = synthesiseOnce();

  it('is one, named after the stack', () => {
    const dashboards = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0].Properties.DashboardName).toBe('AcmValidationMail');
  });

  it('graphs every outcome as the router writes it, with the service dimension', () => {
    const widgets = JSON.parse(dashboardBody(template)).widgets as {
      properties: { title?: string; metrics?: unknown[][] };
    }[];
    const outcomes = widgets.find((widget) => widget.properties.title === 'Outcomes by kind (per hour)');
    const metrics = (outcomes?.properties.metrics ?? []).map((metric) => metric.slice(0, 4));
    expect(metrics).toEqual(
      Object.values(OUTCOME_METRICS).map((name) => ['AcmValidationMail/AcmValidationMail', name, 'service', 'router']),
    );
  });

  it('graphs the product events the router put, as it counts them, with the service dimension', () => {
    const widgets = JSON.parse(dashboardBody(template)).widgets as {
      properties: { title?: string; metrics?: unknown[][] };
    }[];
    const put = widgets.find(
      (widget) => widget.properties.title === 'Product events put on the central bus (per hour)',
    );
    expect((put?.properties.metrics ?? []).map((metric) => metric.slice(0, 4))).toEqual([
      ['AcmValidationMail/AcmValidationMail', PRODUCT_EVENT_METRICS.eventsPut, 'service', 'router'],
    ]);
  });

  it("graphs renewal-mail-missing exactly as the events handler's metrics adapter writes it", () => {
    const { stack } = synthesiseOnce();
    const handler = logicalId(stack, stack.pipeline.acmEvents.handler.function);
    const environment = resourcesOf(template, 'AWS::Lambda::Function')[handler].Properties.Environment
      .Variables as Record<string, string>;
    // What the production adapter writes in the handler's environment, as CloudWatch reads it (EMF).
    const written = metricWrittenIn(environment, (metrics) => metrics.count(ACM_EVENT_METRICS.renewalMailMissing));
    const dimensions = written.dimensions.flatMap(({ Name, Value }) => [Name, Value]);
    const widgets = JSON.parse(dashboardBody(template)).widgets as {
      properties: { title?: string; metrics?: unknown[][] };
    }[];
    const graph = widgets.find((widget) => widget.properties.title === 'Renewal mail missing (alerts, per day)');
    const [metric] = graph?.properties.metrics ?? [];
    expect(metric?.slice(0, 2 + dimensions.length)).toEqual([written.namespace, written.name, ...dimensions]);
    expect(dimensions).toEqual(['service', 'acm-events']);
  });

  it("graphs open requests exactly as the digest's metrics adapter writes them, with no dimension", () => {
    const { stack } = synthesiseOnce();
    const digest = logicalId(stack, stack.pipeline.digest.function);
    const environment = resourcesOf(template, 'AWS::Lambda::Function')[digest].Properties.Environment
      .Variables as Record<string, string>;
    const written = metricWrittenIn(environment, (metrics) => metrics.measure(DIGEST_METRICS.openRequests, 3, {}));
    expect(written.value).toBe(3);
    expect(written.dimensions).toEqual([]);
    const widgets = JSON.parse(dashboardBody(template)).widgets as {
      properties: { title?: string; metrics?: unknown[][] };
    }[];
    const graph = widgets.find((widget) => widget.properties.title === 'Open approval requests (at each digest run)');
    const [metric] = graph?.properties.metrics ?? [];
    // Namespace and name, then the options object: no dimension pair between them.
    expect(metric?.slice(0, 2)).toEqual([written.namespace, written.name]);
    expect(typeof metric?.[2]).toBe('object');
  });

  it('shows mail received, alerts, dead letters, errors and duration', () => {
    const titles = (JSON.parse(dashboardBody(template)).widgets as { properties: { title?: string } }[]).map(
      (widget) => widget.properties.title,
    );
    expect(titles).toEqual(
      expect.arrayContaining([
        'Mail received (router invocations, per hour)',
        'Alerts published (security alerts and alarms)',
        'Dead-letter queue depth',
        'Router and digest errors',
        'Router duration (ms)',
        'Renewal mail missing (alerts, per day)',
        "ACM's events: certificates issued, expired (per day)",
      ]),
    );
  });
});

describe('tags from the configuration', () => {
  const { template } = synthesiseOnce(
    exampleWith((c) => {
      c.tags = { 'cost-center': 'platform-42', owner: 'security@example.org' };
    }),
  );

  it('are on every taggable resource of the stack', () => {
    for (const type of [
      'AWS::S3::Bucket',
      'AWS::DynamoDB::Table',
      'AWS::Lambda::Function',
      'AWS::SNS::Topic',
      'AWS::SQS::Queue',
    ]) {
      const resources = Object.values(resourcesOf(template, type));
      expect(resources.length).toBeGreaterThan(0);
      for (const resource of resources) {
        const tags = resource.Properties.Tags ?? resource.Properties.TagList ?? [];
        expect(tags).toEqual(
          expect.arrayContaining([
            { Key: 'cost-center', Value: 'platform-42' },
            { Key: 'owner', Value: 'security@example.org' },
          ]),
        );
      }
    }
  });

  it('are checked: no "aws:" prefix, no more than 50, keys and values within AWS limits', () => {
    const problems = (tags: Record<string, string>) => {
      try {
        parseConfiguration(
          exampleWith((c) => Object.assign(c, { tags })),
          'test.json',
        );
        return [];
      } catch (error) {
        return (error as ConfigurationError).problems;
      }
    };
    expect(problems({ 'aws:cloudformation:stack-name': 'x' })[0]).toMatch(/is not a tag key/);
    expect(problems({ ok: 'a'.repeat(257) })[0]).toMatch(/is not a tag value/);
    expect(problems(Object.fromEntries(Array.from({ length: 51 }, (_, n) => [`k${n}`, 'v'])))[0]).toMatch(
      /has more than 50 tags/,
    );
    expect(problems({ 'team/owner': 'web shop', empty: '' })).toEqual([]);
  });
});
