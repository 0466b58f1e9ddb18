/** The central event bus: its fixed name, and who may put events on it. */
import { describe, expect, it } from 'vitest';
import { exampleJson, exampleWith } from '../support/configuration.js';
import { resourcesOf, synthesiseOnce } from '../support/infra.js';

function policiesOf(raw = exampleJson()) {
  return Object.values(resourcesOf(synthesiseOnce(raw).template, 'AWS::Events::EventBusPolicy')).map(
    (policy) => policy.Properties.Statement,
  );
}

describe('the central event bus', () => {
  it('is named after the stack, so member accounts can name it before it exists', () => {
    const buses = Object.values(resourcesOf(synthesiseOnce().template, 'AWS::Events::EventBus'));
    expect(buses.map((bus) => bus.Properties.Name)).toEqual(['AcmValidationMail-events']);
  });

  it('without an organisation, admits exactly the listed accounts and only to put events', () => {
    const [statement, ...others] = policiesOf();
    expect(others).toEqual([]);
    const listed = (exampleJson().accounts as { id: string }[]).map((account) => account.id);
    const principals = [statement.Principal.AWS]
      .flat()
      .map((arn: { 'Fn::Join': [string, unknown[]] } | string) => JSON.stringify(arn));
    expect(principals).toHaveLength(new Set(listed).size);
    for (const id of listed) expect(principals.some((p: string) => p.includes(`:${id}:root`))).toBe(true);
    expect(statement.Action).toBe('events:PutEvents');
    expect(statement.Condition).toBeUndefined();
  });

  it('with an organisation id, admits any principal of that organisation and nobody else', () => {
    const [statement, ...others] = policiesOf(
      exampleWith((c) => {
        c.events = { organizationId: 'o-abcdef1234' };
      }),
    );
    expect(others).toEqual([]);
    expect(statement.Principal).toEqual({ AWS: '*' });
    expect(statement.Action).toBe('events:PutEvents');
    expect(statement.Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': 'o-abcdef1234' } });
  });
});
