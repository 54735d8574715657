import type { Stack } from '@aws-sdk/client-cloudformation';
import { StateError } from '../../shared/errors';
import { createChangeSet, deleteChangeSet } from './change-set';
import { secondsLeft, type Invocation } from './deps';
import { cleanUp, unchangedResult } from './outcomes';
import { planStack, type StackPlan } from './plan';
import { changeSetMarkdown, newStackMarkdown } from './report';
import { changeSetRequest } from './request';
import type { DeployResult } from './result';

/**
 * The pull-request preview (execute: false), apart from the deploy path: everything the preview
 * role is asked for is what this function reaches, and the permission proof derives the role's
 * requests from exactly that code (tests/iam/preview-requests.ts).
 */
export async function preview(invocation: Invocation): Promise<DeployResult> {
  const { deps, inputs } = invocation;
  const plan = await deps.io.group(`Inspect stack ${inputs.stackName}`, () =>
    planStack(invocation),
  );
  if (plan.kind === 'unchanged')
    return unchangedResult(
      invocation,
      plan.stack,
      'No changes: the deployed template, parameters and tags are already these.',
    );
  // A preview creates nothing, not even the empty stack a CREATE change set would make.
  if (plan.kind !== 'update') return previewNewStack(invocation, plan);
  const request = await changeSetRequest(invocation, 'UPDATE', plan.stack);
  const outcome = await deps.io.group(
    `Create change set ${request.ChangeSetName ?? ''} (UPDATE)`,
    () => createChangeSet(deps.cloudformation, request, secondsLeft(invocation)),
  );
  if (outcome.kind === 'failed') {
    await cleanUp(invocation, outcome.changeSetId);
    throw new StateError(
      `Change set ${request.ChangeSetName ?? ''} for stack ${inputs.stackName} failed: ${outcome.reason}`,
    );
  }
  if (outcome.kind === 'empty') {
    deps.io.info(`CloudFormation found nothing to change (${outcome.reason}).`);
    if (outcome.changeSetId) await cleanUp(invocation, outcome.changeSetId);
    return unchangedResult(invocation, plan.stack, `No changes (${outcome.reason}).`);
  }
  const { changeSet } = outcome;
  const markdown = changeSetMarkdown(inputs.stackName, 'UPDATE', changeSet.changes, inputs.mode);
  await deleteChangeSet(deps.cloudformation, changeSet.id, inputs.stackName);
  deps.io.info(
    `Preview only (execute: false): ${changeSet.changes.length} change(s) described, nothing executed; the change set was deleted.`,
  );
  return previewResult(
    invocation,
    plan.stack,
    markdown,
    'nothing was executed, and the change set was deleted',
  );
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
