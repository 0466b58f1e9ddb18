/**
 * The answer a Lambda-backed custom resource owes CloudFormation: a PUT of a JSON document to the pre-signed
 * ResponseURL. Without it the stack waits for an hour, so the handler answers on every path.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

export interface CustomResourceAnswer {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  /** Shown in the CloudFormation console and the deploy output; CloudFormation keeps up to 4 KB. */
  readonly reason: string;
  readonly data?: Record<string, string>;
}

export type Respond = (event: CloudFormationCustomResourceEvent, answer: CustomResourceAnswer) => Promise<void>;

export const respondToCloudFormation: Respond = async (event, answer) => {
  const body = JSON.stringify({
    Status: answer.status,
    Reason: answer.reason.slice(0, 3500),
    PhysicalResourceId: answer.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: answer.data,
  });
  // The URL is signed without a content type: sending one makes S3 refuse the signature.
  const response = await fetch(event.ResponseURL, {
    method: 'PUT',
    headers: { 'content-type': '' },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    throw new Error(`CloudFormation response: PUT to the ResponseURL answered ${response.status}`);
  }
};
