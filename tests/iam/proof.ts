import { isWildcardOnlyAction } from '@cloud-copilot/iam-simulate';
import { describe as describeRequest, evaluate, onlyApplicable, type Decision } from './evaluate';
import type { IamRequest } from './operations';
import { SAMPLE } from './render';
import { ownerOf, resourcePolicyFor, tagsOf, type Principal, type Stacks } from './stacks';

/**
 * Evaluates one request of a principal as AWS would see it: over TLS, in the sample region, with
 * the tags the target resource really carries, the resource policy that applies to it (key,
 * bucket, queue policy), and the principal's identity policies and permissions boundary. Only
 * the context keys the action has are sent (see evaluate.ts).
 */
export async function decide(
  stacks: Stacks,
  principal: Principal,
  asked: IamRequest,
): Promise<Decision> {
  const [service, name] = asked.action.split(':') as [string, string];
  // Actions without resource-level permissions are authorized on "*", whatever they touch.
  const wildcardOnly = await isWildcardOnlyAction(service, name);
  const request = wildcardOnly ? { ...asked, resource: '*' } : asked;
  const owner = ownerOf(stacks.app, request.resource);
  const tags = owner ? tagsOf(owner, stacks.app.sample.stackName) : {};
  const context = await onlyApplicable(request.action, request.resource, {
    'aws:SecureTransport': 'true',
    'aws:RequestedRegion': SAMPLE.region,
    'aws:PrincipalAccount': SAMPLE.account,
    'aws:PrincipalArn': principal.arn,
    ...Object.fromEntries(
      Object.entries(tags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]),
    ),
    ...request.context,
  });
  return evaluate(
    {
      principal: principal.arn,
      action: request.action,
      resource: request.resource,
      context,
      identityPolicies: principal.identityPolicies,
      boundary: principal.boundary,
      resourcePolicy: resourcePolicyFor(stacks.app, request.resource),
    },
    SAMPLE,
  );
}

export const label = (request: IamRequest): string =>
  `${request.action} on ${request.resource}${
    request.context
      ? ` (${Object.entries(request.context)
          .map(([key, value]) => `${key}=${String(value)}`)
          .join(', ')})`
      : ''
  }`;

export { describeRequest };
