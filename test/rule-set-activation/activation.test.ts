import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondToCloudFormation } from '../../handlers/adapters/cloudformation-response.js';
import type { ReceiptRuleSets } from '../../handlers/ports/rule-set-activation.js';
import { makeRuleSetActivation } from '../../handlers/rule-set-activation/activation.js';

/** A stand-in for the pre-signed S3 URL: records each PUT, as S3 would store it. */
interface ReceivedResponse {
  readonly method: string;
  readonly contentType: string | undefined;
  readonly body: Record<string, unknown>;
}
const received: ReceivedResponse[] = [];
let server: Server;
let responseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        contentType: request.headers['content-type'],
        body: JSON.parse(text),
      });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** SES's receipt-rule-set state in one account and region, as the fake sees it. */
function fakeRuleSets(active: string | null, failWith?: Error) {
  const state = { active, calls: [] as (string | null)[] };
  const ruleSets: ReceiptRuleSets = {
    async active() {
      if (failWith) throw failWith;
      return state.active;
    },
    async activate(name) {
      state.calls.push(name);
      state.active = name;
    },
  };
  return { state, ruleSets };
}

function event(
  request: 'Create' | 'Update' | 'Delete',
  properties: Record<string, unknown> = { RuleSetName: 'acm-validation-mail', TakeOver: 'false' },
): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:activation',
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/AcmValidationMail/1',
    RequestId: `request-${request}`,
    LogicalResourceId: 'ActiveRuleSet',
    ResourceType: 'Custom::SesActiveReceiptRuleSet',
    ResourceProperties: { ServiceToken: 'x', ...properties },
  };
  if (request === 'Create') return { ...common, RequestType: 'Create' };
  const physical = { PhysicalResourceId: 'active-receipt-rule-set:ActiveRuleSet' };
  if (request === 'Update') {
    return { ...common, ...physical, RequestType: 'Update', OldResourceProperties: { ...common.ResourceProperties } };
  }
  return { ...common, ...physical, RequestType: 'Delete' };
}

const silentLogger = { info: () => undefined, error: () => undefined };

function activation(ruleSets: ReceiptRuleSets) {
  return makeRuleSetActivation({
    ruleSets,
    respond: respondToCloudFormation,
    region: 'eu-west-1',
    logger: silentLogger,
  });
}

describe('the rule-set activation custom resource', () => {
  it('activates our set when none is active and tells CloudFormation with a PUT and no content type', async () => {
    const { state, ruleSets } = fakeRuleSets(null);
    received.length = 0;
    const answer = await activation(ruleSets)(event('Create'));
    expect(state.calls).toEqual(['acm-validation-mail']);
    expect(answer.status).toBe('SUCCESS');
    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe('PUT');
    expect(received[0]?.contentType ?? '').toBe('');
    expect(received[0]?.body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'active-receipt-rule-set:ActiveRuleSet',
      StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/AcmValidationMail/1',
      RequestId: 'request-Create',
      LogicalResourceId: 'ActiveRuleSet',
      Data: { Action: 'activate' },
    });
  });

  it('fails the deployment, changing nothing, when another team set is active', async () => {
    const { state, ruleSets } = fakeRuleSets('corporate-inbound');
    received.length = 0;
    const answer = await activation(ruleSets)(event('Create'));
    expect(state.calls).toEqual([]);
    expect(state.active).toBe('corporate-inbound');
    expect(answer.status).toBe('FAILED');
    expect(received[0]?.body.Status).toBe('FAILED');
    expect(String(received[0]?.body.Reason)).toContain('"corporate-inbound" is active in eu-west-1');
  });

  it('takes over only when the configuration says takeOver (CloudFormation passes "true" as a string)', async () => {
    const { state, ruleSets } = fakeRuleSets('corporate-inbound');
    const answer = await activation(ruleSets)(
      event('Update', { RuleSetName: 'acm-validation-mail', TakeOver: 'true' }),
    );
    expect(answer.status).toBe('SUCCESS');
    expect(state.active).toBe('acm-validation-mail');
  });

  it('on delete deactivates our set, and leaves a set that is no longer ours alone', async () => {
    const ours = fakeRuleSets('acm-validation-mail');
    expect((await activation(ours.ruleSets)(event('Delete'))).status).toBe('SUCCESS');
    expect(ours.state.calls).toEqual([null]);

    const theirs = fakeRuleSets('corporate-inbound');
    expect((await activation(theirs.ruleSets)(event('Delete'))).status).toBe('SUCCESS');
    expect(theirs.state.calls).toEqual([]);
  });

  it('answers FAILED, naming the cause, when SES cannot be asked', async () => {
    const { ruleSets } = fakeRuleSets(null, new Error('AccessDenied: not authorized'));
    received.length = 0;
    const answer = await activation(ruleSets)(event('Create'));
    expect(answer.status).toBe('FAILED');
    expect(received[0]?.body.Reason).toBe('receipt rule set activation failed: Error: AccessDenied: not authorized');
  });

  it('answers FAILED on malformed properties instead of leaving the stack waiting', async () => {
    const { state, ruleSets } = fakeRuleSets(null);
    const answer = await activation(ruleSets)(event('Create', { RuleSetName: '', TakeOver: 'false' }));
    expect(answer.status).toBe('FAILED');
    expect(answer.reason).toContain('ResourceProperties.RuleSetName: "" is not a rule set name');
    expect(state.calls).toEqual([]);
  });
});
