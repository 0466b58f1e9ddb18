/**
 * A local HTTP stub of the EventBridge Scheduler API's CreateSchedule, shaped as AWS's API reference documents it
 * (Amazon EventBridge Scheduler API Reference, CreateSchedule): `POST /schedules/{Name}` with a JSON body, answered
 * `200 {"ScheduleArn": ...}`; a name already taken is `409 ConflictException`. Anything else is a 400 the test sees.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CreateScheduleRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  /** True when the request carried a SigV4 Authorization header. */
  readonly signed: boolean;
  readonly body: Record<string, unknown>;
}

export interface SchedulerStub {
  readonly endpoint: string;
  readonly requests: CreateScheduleRequest[];
  stop(): Promise<void>;
}

const CREATE_SCHEDULE = /^\/schedules\/([0-9A-Za-z_.-]{1,64})$/;

export async function startSchedulerStub(region = 'eu-west-1', account = '123456789012'): Promise<SchedulerStub> {
  const requests: CreateScheduleRequest[] = [];
  const names = new Set<string>();
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://stub').pathname);
      const match = CREATE_SCHEDULE.exec(path);
      const answer = (status: number, body: object, errorType?: string) => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        if (errorType) res.setHeader('x-amzn-errortype', errorType);
        res.end(JSON.stringify(body));
      };
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        answer(400, { Message: 'body is not JSON' }, 'ValidationException');
        return;
      }
      requests.push({
        method: req.method ?? '',
        path,
        contentType: String(req.headers['content-type'] ?? ''),
        signed: String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 '),
        body,
      });
      if (req.method !== 'POST' || match === null) {
        answer(400, { Message: `unexpected ${req.method} ${path}` }, 'ValidationException');
        return;
      }
      const group = typeof body.GroupName === 'string' ? body.GroupName : 'default';
      const name = match[1] as string;
      if (names.has(`${group}/${name}`)) {
        answer(409, { Message: `Schedule ${name} already exists.` }, 'ConflictException');
        return;
      }
      names.add(`${group}/${name}`);
      answer(200, { ScheduleArn: `arn:aws:scheduler:${region}:${account}:schedule/${group}/${name}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
