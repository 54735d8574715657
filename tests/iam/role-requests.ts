import { NOT_GRANTED } from './execution-exceptions';
import { handlerRequests } from './handler-requests';
import { requestsFor, stackView, type IamRequest } from './operations';
import { label } from './proof';
import { actionNames, sdkCallsOfAction } from './sdk-commands';
import type { Stacks } from './stacks';

/**
 * What each role of the bootstrap must be allowed, labelled: the requests its callers send,
 * found in their code (the deploy and preview roles) or in the resources' handler permissions
 * (the execution role). The role proofs and the statement-removal test share them.
 */

export type LabelledRequest = [string, IamRequest];

/**
 * The actions that run as the deploy role: not smoke-check (it runs in staging only, and
 * production's deploy role may not write a reading: environment-roles.test.ts proves both), nor
 * cfn-drift (it runs as the drift role: drift-role.test.ts).
 */
export function deployRoleActions(): string[] {
  return actionNames().filter((name) => name !== 'smoke-check' && name !== 'cfn-drift');
}

/** Every AWS call of our actions, found in their code (and the shared modules each runs). */
export function deployRoleRequests(stacks: Stacks): LabelledRequest[] {
  const view = stackView(stacks);
  return deployRoleActions()
    .flatMap(sdkCallsOfAction)
    .flatMap((call) =>
      requestsFor(view, call).map((request): LabelledRequest => [
        `${call.folder} ${call.service}:${call.operation} → ${label(request)}`,
        request,
      ]),
    );
}

/**
 * The pull-request preview: cfn-deploy with `execute: false` reads the stack (waiting out, with
 * its events, an operation in progress), creates a change set, describes it and deletes it.
 */
export const PREVIEW_OPERATIONS = [
  'cloudformation:DescribeStacks',
  'cloudformation:GetTemplate',
  'cloudformation:CreateChangeSet',
  'cloudformation:DescribeChangeSet',
  'cloudformation:DeleteChangeSet',
  'cloudformation:DescribeStackEvents',
];

export function previewRoleRequests(stacks: Stacks): LabelledRequest[] {
  const view = stackView(stacks);
  return sdkCallsOfAction('cfn-deploy')
    .filter((call) => PREVIEW_OPERATIONS.includes(`${call.service}:${call.operation}`))
    .flatMap((call) =>
      requestsFor(view, call).map((request): LabelledRequest => [label(request), request]),
    );
}

/** Each handler permission of each resource of the stack, but those it deliberately lacks. */
export async function executionRoleRequests(stacks: Stacks): Promise<LabelledRequest[]> {
  const { requests } = await handlerRequests(stacks.app);
  return requests
    .filter((request) => !(request.action in NOT_GRANTED))
    .map((request): LabelledRequest => [
      `${request.logicalId} (${request.phase}): ${label(request)}`,
      request,
    ]);
}
