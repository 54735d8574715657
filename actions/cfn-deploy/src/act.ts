import type { CreateChangeSetCommandInput, Stack } from '@aws-sdk/client-cloudformation';
import { StateError } from '../../shared/errors';
import { createChangeSet, deleteStackAndWait, type ChangeSetOutcome } from './change-set';
import { secondsLeft, type Invocation } from './deps';
import { applyTerminationProtection, executeAndWait } from './execute';
import type { StackPlan } from './plan';
import { cleanUp, unchangedResult } from './outcomes';
import { changeSetMarkdown } from './report';
import { changeSetRequest } from './request';
import type { DeployResult } from './result';

/** Carries out the plan in the invocation's mode: deploy or create-only (the preview: preview.ts). */
export async function act(invocation: Invocation, plan: StackPlan): Promise<DeployResult> {
  const { deps, inputs } = invocation;
  if (plan.kind === 'unchanged')
    return nothingToDo(
      invocation,
      plan.stack,
      'No changes: the deployed template, parameters and tags are already these.',
    );
  if (plan.kind === 'replace') {
    deps.io.warning(
      `Stack ${inputs.stackName} is ${plan.stack.StackStatus ?? ''} (${plan.why}): deleting it and creating it afresh.`,
    );
    await deleteStackAndWait(deps.cloudformation, inputs.stackName, {
      why: plan.why,
      roleArn: inputs.roleArn,
      maxWaitSeconds: secondsLeft(invocation),
    });
  }
  const stack = plan.kind === 'update' ? plan.stack : undefined;
  const type = stack ? 'UPDATE' : 'CREATE';
  const request = await changeSetRequest(invocation, type, stack);
  const outcome = await deps.io.group(
    `Create change set ${request.ChangeSetName ?? ''} (${type})`,
    () => createChangeSet(deps.cloudformation, request, secondsLeft(invocation)),
  );
  if (outcome.kind === 'failed') return failedChangeSet(invocation, request, outcome);
  if (outcome.kind === 'empty') {
    deps.io.info(`CloudFormation found nothing to change (${outcome.reason}).`);
    if (outcome.changeSetId) await cleanUp(invocation, outcome.changeSetId);
    return nothingToDo(invocation, stack, `No changes (${outcome.reason}).`);
  }
  const { changeSet } = outcome;
  const markdown = changeSetMarkdown(inputs.stackName, type, changeSet.changes, inputs.mode);
  if (inputs.mode === 'create-only')
    return createdForReview(invocation, stack, changeSet, markdown);
  return executeAndWait(invocation, changeSet, type, markdown);
}

/** Nothing to change: termination protection as asked, nothing executed. */
async function nothingToDo(
  invocation: Invocation,
  stack: Stack | undefined,
  why: string,
): Promise<DeployResult> {
  const current = stack ? await applyTerminationProtection(invocation, stack) : stack;
  return unchangedResult(invocation, current, why);
}

function createdForReview(
  invocation: Invocation,
  stack: Stack | undefined,
  changeSet: { id: string; name: string },
  markdown: string,
): DeployResult {
  const { inputs } = invocation;
  return {
    stack,
    status: 'CHANGE_SET_CREATED',
    changed: true,
    changeSet: markdown,
    headline: `📝 Stack ${inputs.stackName}: change set ${changeSet.name} ready for review`,
    body: [
      markdown,
      `Execute exactly this change set with \`execute-change-set-id: ${changeSet.id}\` (the \`change-set-id\` output).`,
    ],
    reviewed: { id: changeSet.id, name: changeSet.name },
  };
}

/** A change set CloudFormation refused: removed (and the empty new stack with it), then the step fails. */
async function failedChangeSet(
  invocation: Invocation,
  request: CreateChangeSetCommandInput,
  outcome: Extract<ChangeSetOutcome, { kind: 'failed' }>,
): Promise<never> {
  const { deps, inputs } = invocation;
  await cleanUp(invocation, outcome.changeSetId);
  if (request.ChangeSetType === 'CREATE')
    await deleteStackAndWait(deps.cloudformation, inputs.stackName, {
      why: 'its first change set failed',
      roleArn: inputs.roleArn,
      maxWaitSeconds: secondsLeft(invocation),
    });
  throw new StateError(
    `Change set ${request.ChangeSetName ?? ''} for stack ${inputs.stackName} failed: ${outcome.reason}`,
  );
}
