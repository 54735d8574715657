import { NOT_GRANTED } from './execution-exceptions';
import { handlerRequests } from './handler-requests';
import { requestsFor, stackView, type IamRequest } from './operations';
import { label } from './proof';
import { ONLY_WITH_AN_INPUT_THE_PREVIEW_OMITS, previewCalls } from './preview-requests';
import { actionNames, sdkCallsOfAction, type SdkCall } from './sdk-commands';
import type { Stacks } from './stacks';

/**
 * What each role of the bootstrap must be allowed, labelled: the requests its callers send,
 * found in their code (the deploy role: every action; the preview role: the preview's path) or in the resources' handler permissions
 * (the execution role). The role proofs and the statement-removal test share them.
 */

export type LabelledRequest = [string, IamRequest];

/**
 * The actions that run as the deploy role: not smoke-check (it runs in staging only, and
 * production's deploy role may not write a reading: environment-roles.test.ts proves both), nor
 * cfn-drift (it runs as the drift role: drift-role.test.ts). `alsoRunning` adds them back (staging's
 * deploy role runs the smoke check).
 */
export function deployRoleActions(alsoRunning: readonly string[] = []): string[] {
  const others = ['smoke-check', 'cfn-drift'].filter((name) => !alsoRunning.includes(name));
  return actionNames().filter((name) => !others.includes(name));
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
 * The pull-request preview: the calls reachable from cfn-deploy's preview path (preview-requests.ts),
 * but those only an input the preview job omits leads to.
 */
export function previewRoleRequests(
  stacks: Stacks,
  calls: readonly SdkCall[] = previewCalls(),
): LabelledRequest[] {
  const view = stackView(stacks);
  return calls
    .filter(
      (call) => !(`${call.service}:${call.operation}` in ONLY_WITH_AN_INPUT_THE_PREVIEW_OMITS),
    )
    .flatMap((call) =>
      requestsFor(view, call).map((request): LabelledRequest => [
        `${call.service}:${call.operation} → ${label(request)}`,
        request,
      ]),
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
