import type { CreateChangeSetCommandInput, Stack } from '@aws-sdk/client-cloudformation';
import { StateError } from '../../shared/errors';
import {
  createChangeSet,
  deleteChangeSet,
  deleteStackAndWait,
  type ChangeSetOutcome,
} from './change-set';
import { secondsLeft, type Invocation } from './deps';
import { applyTerminationProtection, executeAndWait } from './execute';
import type { StackPlan } from './plan';
import { changeSetMarkdown, newStackMarkdown } from './report';
import { changeSetRequest } from './request';
import type { DeployResult } from './result';

/** Carries out the plan in the run's mode: deploy, preview (read-only) or create-only. */
export async function act(invocation: Invocation, plan: StackPlan): Promise<DeployResult> {
  const { deps, inputs } = invocation;
  if (plan.kind === 'unchanged')
    return nothingToDo(
      invocation,
      plan.stack,
      'No changes: the deployed template, parameters and tags are already these.',
    );
  // A preview creates nothing, not even the empty stack a CREATE change set would make.
  if (inputs.mode === 'preview' && plan.kind !== 'update') return previewNewStack(invocation, plan);
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
  if (inputs.mode === 'preview') {
    await deleteChangeSet(deps.cloudformation, changeSet.id, inputs.stackName);
    deps.io.info(
      `Preview only (execute: false): ${changeSet.changes.length} change(s) described, nothing executed; the change set was deleted.`,
    );
    return previewResult(
      invocation,
      stack,
      markdown,
      'nothing was executed, and the change set was deleted',
    );
  }
  if (inputs.mode === 'create-only')
    return createdForReview(invocation, stack, changeSet, markdown);
  return executeAndWait(invocation, changeSet, type, markdown);
}

/** Nothing to change: success (unless fail-on-empty-changeset), nothing executed. */
async function nothingToDo(
  invocation: Invocation,
  stack: Stack | undefined,
  why: string,
): Promise<DeployResult> {
  const { inputs } = invocation;
  const current = stack ? await applyTerminationProtection(invocation, stack) : stack;
  const wouldProtect =
    inputs.mode === 'preview' &&
    inputs.terminationProtection &&
    !stack?.EnableTerminationProtection;
  return {
    stack: current,
    status: stack?.StackStatus ?? '',
    changed: false,
    changeSet: why,
    headline: `✅ Stack ${inputs.stackName}: unchanged`,
    body: [
      `_${why} No change set was executed._`,
      ...(wouldProtect ? ['A deploy would turn termination protection on.'] : []),
    ],
    ...(inputs.failOnEmptyChangeSet
      ? {
          failure: `Stack ${inputs.stackName}: nothing to deploy (fail-on-empty-changeset). ${why}`,
        }
      : {}),
  };
}

function previewNewStack(
  invocation: Invocation,
  plan: Exclude<StackPlan, { kind: 'update' } | { kind: 'unchanged' }>,
): DeployResult {
  const replaced =
    plan.kind === 'replace' ? { status: plan.stack.StackStatus ?? '', why: plan.why } : undefined;
  // Read from the template alone: no change set was made, so none was deleted either.
  return previewResult(
    invocation,
    undefined,
    newStackMarkdown(invocation.inputs.stackName, invocation.inputs.template, replaced),
    'nothing was created or executed',
  );
}

function previewResult(
  invocation: Invocation,
  stack: Stack | undefined,
  markdown: string,
  done: string,
): DeployResult {
  const { inputs } = invocation;
  const wouldProtect = inputs.terminationProtection && !stack?.EnableTerminationProtection;
  return {
    stack,
    status: 'PREVIEW',
    changed: true,
    changeSet: markdown,
    headline: `🔍 Stack ${inputs.stackName}: preview`,
    body: [
      markdown,
      `_Preview only (execute: false): ${done}.${wouldProtect ? ' A deploy would also turn termination protection on.' : ''}_`,
    ],
  };
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

/** Deleting a change set that is of no more use is tidying up: a failure is only logged. */
async function cleanUp(invocation: Invocation, changeSetId: string): Promise<void> {
  try {
    await deleteChangeSet(invocation.deps.cloudformation, changeSetId, invocation.inputs.stackName);
  } catch (error) {
    invocation.deps.io.debug(`change set ${changeSetId} was not deleted: ${String(error)}`);
  }
}
