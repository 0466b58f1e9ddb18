/**
 * One local HTTP server standing in for the AWS APIs `acm-mail doctor` asks, each answer shaped as the API reference
 * documents it. The test edits `state`; `seen` lists what was asked. Query-protocol services (STS, CloudFormation,
 * SES v1) answer XML, the REST-JSON ones (SES v2, Lambda) JSON:
 * - STS GetCallerIdentity: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 * - CloudFormation DescribeStacks: https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 * - SES DescribeActiveReceiptRuleSet: https://docs.aws.amazon.com/ses/latest/APIReference/API_DescribeActiveReceiptRuleSet.html
 * - SES v2 GetEmailIdentity, GetAccount: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetEmailIdentity.html,
 *   https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetAccount.html
 * - Lambda GetFunctionConcurrency, GetAccountSettings, Invoke:
 *   https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConcurrency.html,
 *   https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html,
 *   https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 * - Errors: query protocol `<ErrorResponse><Error><Code>`, REST JSON `x-amzn-ErrorType` and a `message`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubIdentity {
  readonly VerificationStatus: 'PENDING' | 'SUCCESS' | 'FAILED' | 'TEMPORARY_FAILURE' | 'NOT_STARTED';
  readonly VerifiedForSendingStatus: boolean;
  readonly DkimAttributes?: {
    readonly Status: string;
    readonly Tokens: readonly string[];
    readonly SigningEnabled: boolean;
  };
}

export interface StubRule {
  readonly name: string;
  readonly enabled: boolean;
  readonly recipients: readonly string[];
}

export interface AwsStubState {
  caller: { account: string; arn: string };
  /** The stack's outputs by key; null: the stack does not exist. */
  stackOutputs: Record<string, string> | null;
  /** SES identities by name (domain or address). */
  identities: Record<string, StubIdentity>;
  /** The active receipt rule set; null: none is active. */
  activeRuleSet: { name: string; rules: StubRule[] } | null;
  sesAccount: { ProductionAccessEnabled: boolean; SendingEnabled: boolean; EnforcementStatus: string };
  /** Reserved concurrency by function name; absent: none reserved. */
  reservedConcurrency: Record<string, number>;
  accountLimit: { ConcurrentExecutions: number; UnreservedConcurrentExecutions: number };
  /** The canary function: what it answers to an invocation, or a function error. */
  invoke: (event: unknown) => Promise<{ payload: unknown; functionError?: string }>;
  /**
   * EventBridge Scheduler's schedules in group `default` by name (Amazon EventBridge Scheduler API Reference,
   * GetSchedule: `GET /schedules/{Name}?groupName=...`); absent: ResourceNotFoundException.
   */
  schedules: Record<
    string,
    { State: 'ENABLED' | 'DISABLED'; ScheduleExpression: string; ScheduleExpressionTimezone: string }
  >;
  /** An action here is refused with AccessDenied (query) / AccessDeniedException (REST). */
  denied: Set<string>;
}

export interface AwsStub {
  readonly endpoint: string;
  readonly state: AwsStubState;
  /** Each request as `<service>:<action>`. */
  readonly seen: string[];
  stop(): Promise<void>;
}

const xmlEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const members = (items: readonly string[]) => items.map((item) => `<member>${item}</member>`).join('');

function queryAnswer(action: string, namespace: string, result: string): string {
  return `<${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>stub-1</RequestId></ResponseMetadata></${action}Response>`;
}

function queryError(res: ServerResponse, status: number, code: string, message: string) {
  res.statusCode = status;
  res.setHeader('content-type', 'text/xml');
  res.end(
    `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>stub-1</RequestId></ErrorResponse>`,
  );
}

function json(res: ServerResponse, status: number, body: unknown, errorType?: string) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  if (errorType !== undefined) res.setHeader('x-amzn-errortype', errorType);
  res.end(JSON.stringify(body));
}

function query(state: AwsStubState, action: string, params: URLSearchParams, res: ServerResponse): string {
  if (state.denied.has(action)) {
    queryError(res, 403, 'AccessDenied', `User is not authorized to perform: ${action}`);
    return action;
  }
  res.setHeader('content-type', 'text/xml');
  switch (action) {
    case 'GetCallerIdentity':
      res.end(
        queryAnswer(
          action,
          'https://sts.amazonaws.com/doc/2011-06-15/',
          `<Arn>${state.caller.arn}</Arn><UserId>AIDASTUB</UserId><Account>${state.caller.account}</Account>`,
        ),
      );
      return 'sts:GetCallerIdentity';
    case 'DescribeStacks': {
      const name = params.get('StackName') ?? '';
      if (state.stackOutputs === null) {
        queryError(res, 400, 'ValidationError', `Stack with id ${name} does not exist`);
      } else {
        const outputs = Object.entries(state.stackOutputs)
          .map(
            ([key, value]) =>
              `<member><OutputKey>${key}</OutputKey><OutputValue>${xmlEscape(value)}</OutputValue></member>`,
          )
          .join('');
        res.end(
          queryAnswer(
            action,
            'http://cloudformation.amazonaws.com/doc/2010-05-15/',
            `<Stacks><member><StackName>${name}</StackName><StackId>arn:aws:cloudformation:eu-west-1:${state.caller.account}:stack/${name}/1</StackId><CreationTime>2026-11-01T00:00:00Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus><Outputs>${outputs}</Outputs></member></Stacks>`,
          ),
        );
      }
      return 'cloudformation:DescribeStacks';
    }
    case 'DescribeActiveReceiptRuleSet': {
      const set = state.activeRuleSet;
      const body =
        set === null
          ? ''
          : `<Metadata><Name>${set.name}</Name><CreatedTimestamp>2026-11-01T00:00:00Z</CreatedTimestamp></Metadata><Rules>${set.rules
              .map(
                (rule) =>
                  `<member><Name>${rule.name}</Name><Enabled>${rule.enabled}</Enabled><TlsPolicy>Require</TlsPolicy><ScanEnabled>true</ScanEnabled><Recipients>${members(rule.recipients)}</Recipients><Actions></Actions></member>`,
              )
              .join('')}</Rules>`;
      res.end(queryAnswer(action, 'http://ses.amazonaws.com/doc/2010-12-01/', body));
      return 'ses:DescribeActiveReceiptRuleSet';
    }
    default:
      queryError(res, 400, 'InvalidAction', `the stub does not know ${action}`);
      return `unknown:${action}`;
  }
}

async function rest(state: AwsStubState, req: IncomingMessage, body: string, res: ServerResponse): Promise<string> {
  const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
  const identity = /^\/v2\/email\/identities\/(.+)$/.exec(path);
  const concurrency = /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/.exec(path);
  const invocation = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(path);
  const schedule = req.method === 'GET' ? /^\/schedules\/([0-9A-Za-z_.-]{1,64})$/.exec(path) : null;
  if (schedule) {
    const name = schedule[1] ?? '';
    const group = new URL(req.url ?? '/', 'http://stub').searchParams.get('groupName') ?? 'default';
    if (state.denied.has('GetSchedule')) {
      json(res, 403, { Message: 'not authorized to perform GetSchedule' }, 'AccessDeniedException');
    } else if (group !== 'default' || state.schedules[name] === undefined) {
      json(res, 404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
    } else {
      json(res, 200, {
        Arn: `arn:aws:scheduler:eu-west-1:111122223333:schedule/${group}/${name}`,
        Name: name,
        GroupName: group,
        ...state.schedules[name],
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: 'arn:aws:lambda:eu-west-1:111122223333:function:canary',
          RoleArn: 'arn:aws:iam::111122223333:role/s',
        },
        CreationDate: 1764000000,
        LastModificationDate: 1764000000,
      });
    }
    return 'scheduler:GetSchedule';
  }
  const action = identity
    ? 'GetEmailIdentity'
    : path === '/v2/email/account'
      ? 'GetAccount'
      : concurrency
        ? 'GetFunctionConcurrency'
        : path.startsWith('/2016-08-19/account-settings')
          ? 'GetAccountSettings'
          : invocation
            ? 'Invoke'
            : `unknown ${req.method} ${path}`;
  if (state.denied.has(action)) {
    json(res, 403, { message: `not authorized to perform ${action}` }, 'AccessDeniedException');
    return action;
  }
  if (identity) {
    const found = state.identities[identity[1] ?? ''];
    if (found === undefined)
      json(res, 404, { message: `Email identity ${identity[1]} does not exist.` }, 'NotFoundException');
    else json(res, 200, { IdentityType: (identity[1] ?? '').includes('@') ? 'EMAIL_ADDRESS' : 'DOMAIN', ...found });
    return 'sesv2:GetEmailIdentity';
  }
  if (action === 'GetAccount') {
    json(res, 200, { ...state.sesAccount, SendQuota: { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 3 } });
    return 'sesv2:GetAccount';
  }
  if (concurrency) {
    const reserved = state.reservedConcurrency[concurrency[1] ?? ''];
    json(res, 200, reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved });
    return 'lambda:GetFunctionConcurrency';
  }
  if (action === 'GetAccountSettings') {
    json(res, 200, {
      AccountLimit: {
        ...state.accountLimit,
        CodeSizeUnzipped: 262144000,
        CodeSizeZipped: 52428800,
        TotalCodeSize: 80530636800,
      },
      AccountUsage: { FunctionCount: 12, TotalCodeSize: 1000000 },
    });
    return 'lambda:GetAccountSettings';
  }
  if (invocation) {
    const answer = await state.invoke(JSON.parse(body));
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-amz-executed-version', '$LATEST');
    if (answer.functionError !== undefined) res.setHeader('x-amz-function-error', answer.functionError);
    res.end(JSON.stringify(answer.payload));
    return `lambda:Invoke ${invocation[1]}`;
  }
  json(res, 404, { message: action }, 'UnknownOperationException');
  return action;
}

export async function startAwsStub(state: AwsStubState): Promise<AwsStub> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const form = req.headers['content-type']?.includes('application/x-www-form-urlencoded');
      const params = new URLSearchParams(form ? body : '');
      const action = params.get('Action');
      const handled =
        action !== null ? Promise.resolve(query(state, action, params, res)) : rest(state, req, body, res);
      handled.then(
        (name) => seen.push(name),
        (error: unknown) => json(res, 500, { message: String(error) }, 'ServiceException'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
