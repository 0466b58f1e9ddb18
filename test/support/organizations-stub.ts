/**
 * A local HTTP stub of AWS Organizations (JSON 1.1 protocol: `POST /`, `X-Amz-Target:
 * AWSOrganizationsV20161128.<Action>`) and of STS AssumeRole (query protocol, XML), answering as the AWS
 * Organizations API Reference ("ListAccounts", "ListAccountsForParent", "ListOrganizationalUnitsForParent", the
 * `Account` data type with `State`) and the STS API Reference ("AssumeRole") show. Pages of `pageSize` with
 * `NextToken`, and a switch to fail every call like an outage or a denied role.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubAccount {
  readonly id: string;
  readonly name: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE or CLOSED. */
  readonly state?: string;
  /** The organisational unit (or root) the account sits in. @default "r-ab12" */
  readonly parent?: string;
}

export interface OrganizationsStub {
  readonly endpoint: string;
  /** Every call, as `<Action> <ParentId or ->`. */
  readonly calls: string[];
  accounts: StubAccount[];
  /** Unit id -> its parent (a unit or the root). */
  units: Record<string, string>;
  /** When set, every Organizations call answers this error (`AccessDeniedException`, `ServiceException`...). */
  failWith: string | null;
  /** Roles the STS stub was asked to assume, and the access key each answer carried. */
  readonly assumed: string[];
  /** The access key id of each Organizations call's signature. */
  readonly callers: string[];
  stop(): Promise<void>;
}

const body = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

export async function startOrganizationsStub(pageSize = 2): Promise<OrganizationsStub> {
  const state = {
    calls: [] as string[],
    accounts: [] as StubAccount[],
    units: {} as Record<string, string>,
    failWith: null as string | null,
    assumed: [] as string[],
    callers: [] as string[],
  };

  const page = <T>(items: readonly T[], token: unknown) => {
    const start = typeof token === 'string' ? Number(token) : 0;
    const next = start + pageSize;
    return { items: items.slice(start, next), nextToken: next < items.length ? String(next) : undefined };
  };
  const account = (a: StubAccount) => ({
    Id: a.id,
    Arn: `arn:aws:organizations::111111111111:account/o-exampleorgid/${a.id}`,
    Email: `${a.name}@example.org`,
    Name: a.name,
    State: a.state ?? 'ACTIVE',
    JoinedMethod: 'CREATED',
    JoinedTimestamp: 1_764_000_000,
  });

  const server: Server = createServer(async (request, response) => {
    const text = await body(request);
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target === '') {
      // STS, query protocol.
      const form = new URLSearchParams(text);
      const role = form.get('RoleArn') ?? '';
      state.assumed.push(role);
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>' +
          `<AccessKeyId>ASIAROLE${state.assumed.length}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>` +
          `<SessionToken>token</SessionToken><Expiration>${new Date(Date.now() + 3_600_000).toISOString()}</Expiration>` +
          `</Credentials><AssumedRoleUser><Arn>${role}/acm-validation-mail-accounts</Arn>` +
          '<AssumedRoleId>AROAEXAMPLE:acm-validation-mail-accounts</AssumedRoleId></AssumedRoleUser>' +
          '</AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>',
      );
      return;
    }
    const action = target.replace('AWSOrganizationsV20161128.', '');
    const input = JSON.parse(text || '{}') as { ParentId?: string; NextToken?: string };
    state.calls.push(`${action} ${input.ParentId ?? '-'}`);
    state.callers.push(/Credential=([A-Z0-9]+)\//.exec(String(request.headers.authorization))?.[1] ?? '');
    const send = (status: number, json: object) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(json));
    };
    if (state.failWith !== null) {
      send(400, { __type: state.failWith, Message: `stubbed ${state.failWith}` });
      return;
    }
    if (action === 'ListAccounts') {
      const { items, nextToken } = page(state.accounts, input.NextToken);
      send(200, { Accounts: items.map(account), NextToken: nextToken });
    } else if (action === 'ListAccountsForParent') {
      const children = state.accounts.filter((a) => (a.parent ?? 'r-ab12') === input.ParentId);
      const { items, nextToken } = page(children, input.NextToken);
      send(200, { Accounts: items.map(account), NextToken: nextToken });
    } else if (action === 'ListOrganizationalUnitsForParent') {
      const units = Object.entries(state.units).filter(([, parent]) => parent === input.ParentId);
      const { items, nextToken } = page(units, input.NextToken);
      send(200, {
        OrganizationalUnits: items.map(([id]) => ({
          Id: id,
          Arn: `arn:aws:organizations::111111111111:ou/${id}`,
          Name: id,
        })),
        NextToken: nextToken,
      });
    } else {
      send(400, { __type: 'InvalidInputException', Message: `the stub does not answer ${action}` });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
