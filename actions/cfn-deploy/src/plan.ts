import type { Stack, Tag } from '@aws-sdk/client-cloudformation';
import { settledStackOf } from '../../shared/busy-stack';
import { StateError } from '../../shared/errors';
import type { Invocation } from './deps';
import type { CfnDeployInputs } from './inputs';
import { templateOf } from './change-set';
import { sameTemplate } from './template';

/**
 * What this run must do to the stack, decided with read calls only:
 * create it; replace it (it can only be deleted); update it; or nothing, because the deployed
 * template, parameters, tags and topics are already these and nothing resolves at deploy time.
 */
export type StackPlan =
  | { readonly kind: 'create' }
  | { readonly kind: 'replace'; readonly stack: Stack; readonly why: string }
  | { readonly kind: 'update'; readonly stack: Stack }
  | { readonly kind: 'unchanged'; readonly stack: Stack };

const REPLACE: Readonly<Record<string, string>> = {
  ROLLBACK_COMPLETE: 'its creation failed and rolled back; it can only be deleted',
  REVIEW_IN_PROGRESS: 'a change set created it but never ran; it holds no resources',
};
const NEEDS_REPAIR = /(DELETE_FAILED|UPDATE_ROLLBACK_FAILED)$/;
/** Tags earlier versions of this action put on every change; ignored, dropped with the next change. */
const LEGACY_TAGS = new Set(['github:sha', 'github:run-url']);

export async function planStack(invocation: Invocation): Promise<StackPlan> {
  const { inputs } = invocation;
  const { stack } = await settledStackOf(invocation, 'nothing was changed; try again later.');
  if (!stack) return { kind: 'create' };
  const status = stack.StackStatus ?? '';
  const why = REPLACE[status];
  if (why) return { kind: 'replace', stack, why };
  if (NEEDS_REPAIR.test(status)) {
    throw new StateError(
      `Stack ${inputs.stackName} is ${status}: fix the resources named in its events (${stack.StackStatusReason ?? 'see the CloudFormation console'}), e.g. with "continue update rollback", then run again.`,
    );
  }
  return (await unchanged(invocation, stack))
    ? { kind: 'unchanged', stack }
    : { kind: 'update', stack };
}

/** Same template, parameters, tags and topics as deployed: no change set, no mutating call. */
async function unchanged(invocation: Invocation, stack: Stack): Promise<boolean> {
  const { deps, inputs } = invocation;
  if (inputs.template.resolvedAtDeploy.length > 0) {
    deps.io.info(
      `The template has ${inputs.template.resolvedAtDeploy.join(', ')}: values CloudFormation resolves when it deploys, so its change set decides whether anything changes.`,
    );
    return false;
  }
  // A stack whose last operation failed without rolling back holds the new template already.
  if (stack.StackStatus?.endsWith('_FAILED')) return false;
  if (!sameParameters(inputs, stack) || !sameTags(stack.Tags, inputs.tags)) return false;
  if (inputs.notificationArns && !sameSet(stack.NotificationARNs ?? [], inputs.notificationArns))
    return false;
  return sameTemplate(
    await templateOf(deps.cloudformation, inputs.stackName),
    inputs.template.body,
  );
}

function sameParameters(inputs: CfnDeployInputs, stack: Stack): boolean {
  const deployed = new Map(
    (stack.Parameters ?? []).map((parameter) => [parameter.ParameterKey, parameter.ParameterValue]),
  );
  for (const [key, value] of inputs.parameterOverrides)
    if (deployed.get(key) !== value) return false;
  // A parameter the deployed stack lacks is new in the template: CloudFormation must see it.
  return [...inputs.template.parameters.keys()].every((key) => deployed.has(key));
}

function sameTags(deployed: readonly Tag[] | undefined, wanted: readonly Tag[]): boolean {
  const normal = (tags: readonly Tag[]) =>
    JSON.stringify(
      tags
        .filter((tag) => !LEGACY_TAGS.has(tag.Key ?? ''))
        .map((tag) => [tag.Key, tag.Value])
        .sort(),
    );
  return normal(deployed ?? []) === normal(wanted);
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  [...a].sort().join('\n') === [...b].sort().join('\n');
