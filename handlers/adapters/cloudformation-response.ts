import type { Respond } from '../ports/rule-set-activation.js';

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
