/**
 * What the local run's stubs of AWS APIs share (Secrets Manager, EventBridge, STS and ACM): an HTTP server on
 * 127.0.0.1 at a free port that the production adapters are pointed at, a bounded request body, and the answers of
 * AWS's JSON 1.1 protocol (`application/x-amz-json-1.1`, errors as `{ "__type", "message" }`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** The request body as text; null when it is longer than `maxBytes` (the rest is not read into memory). */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function answerJson(response: ServerResponse, status: number, body: object): void {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(json),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(json);
}

/** A JSON 1.1 error as the SDK reads it: its `__type` becomes the error's name. */
export function refuseJson(response: ServerResponse, type: string, message: string, status = 400): void {
  answerJson(response, status, { __type: type, message });
}

/**
 * Serves `handle` until `stop`. A handler that throws answers `failure` (the service's own internal-error type, 500)
 * when nothing was sent yet, else the connection is cut: the SDK then retries as it would against AWS.
 */
export async function startStubServer(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  failure: string,
): Promise<StubServer> {
  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) refuseJson(response, failure, 'the stub failed', 500);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
