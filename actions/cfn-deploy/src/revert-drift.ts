import type { Change, CreateChangeSetCommandInput, Stack } from '@aws-sdk/client-cloudformation';
import { settledStackOf } from '../../shared/busy-stack';
import { StateError } from '../../shared/errors';
import { table } from '../../shared/summary';
import { createChangeSet, deleteChangeSet } from './change-set';
import { secondsLeft, type Invocation } from './deps';
import { executeAndWait } from './execute';
import { changeSetMarkdown } from './report';
import type { DeployResult } from './result';

/** Where drift can be reverted: a stack whose last operation completed. */
const REVERTIBLE = /^(CREATE|UPDATE|UPDATE_ROLLBACK|IMPORT|IMPORT_ROLLBACK)_COMPLETE$/;

/**
 * A drift-aware change set (DeploymentMode REVERT_DRIFT) on the stack's deployed template and
 * parameter values, so that it puts back what was changed by hand and nothing else; shown like
 * any change set, then previewed, left for review, or executed as the run's mode says.
 */
export async function revertDrift(invocation: Invocation): Promise<DeployResult> {
  const { deps, inputs } = invocation;
  const stack = await revertibleStack(invocation);
  const request = revertRequest(invocation, stack);
  const outcome = await deps.io.group(
    `Create drift-aware change set ${request.ChangeSetName ?? ''}`,
    () => createChangeSet(deps.cloudformation, request, secondsLeft(invocation)),
  );
  if (outcome.kind !== 'ready') {
    if (outcome.changeSetId)
      await deleteChangeSet(deps.cloudformation, outcome.changeSetId, inputs.stackName);
    const why =
      outcome.kind === 'empty'
        ? `has no drift to revert (CloudFormation: ${outcome.reason})`
        : `could not get a drift-aware change set: ${outcome.reason}`;
    throw new StateError(
      `Stack ${inputs.stackName} (${stack.StackStatus ?? ''}) ${why}. Nothing was executed.`,
    );
  }
  const { changeSet } = outcome;
  const markdown = [
    changeSetMarkdown(inputs.stackName, 'UPDATE', changeSet.changes, inputs.mode),
    '',
    revertedPropertiesMarkdown(changeSet.changes),
  ].join('\n');
  if (inputs.mode === 'preview') {
    await deleteChangeSet(deps.cloudformation, changeSet.id, inputs.stackName);
    return heldBack(
      invocation,
      stack,
      markdown,
      'PREVIEW',
      'Preview only (execute: false): nothing was executed, and the change set was deleted.',
    );
  }
  if (inputs.mode === 'create-only')
    return {
      ...heldBack(
        invocation,
        stack,
        markdown,
        'CHANGE_SET_CREATED',
        `Execute exactly this change set with \`execute-change-set-id: ${changeSet.id}\` (the \`change-set-id\` output).`,
      ),
      reviewed: { id: changeSet.id, name: changeSet.name },
    };
  return executeAndWait(invocation, changeSet, 'UPDATE', markdown);
}

async function revertibleStack(invocation: Invocation): Promise<Stack> {
  const { inputs } = invocation;
  const { stack } = await settledStackOf(invocation, 'no drift was reverted; try again later.');
  if (!stack)
    throw new StateError(
      `Stack ${inputs.stackName} does not exist: deployment-mode REVERT_DRIFT reverts drift on a deployed stack. Nothing was created.`,
    );
  if (!REVERTIBLE.test(stack.StackStatus ?? ''))
    throw new StateError(
      `Stack ${inputs.stackName} is ${stack.StackStatus ?? ''}: drift can be reverted only on a stack whose last operation completed. Nothing was executed.`,
    );
  return stack;
}

function revertRequest(invocation: Invocation, stack: Stack): CreateChangeSetCommandInput {
  const { deps, inputs } = invocation;
  return {
    StackName: inputs.stackName,
    ChangeSetName: `gh-revert-drift-${deps.clock.now().toString(36)}`,
    ChangeSetType: 'UPDATE',
    DeploymentMode: 'REVERT_DRIFT',
    Description:
      `Revert drift: ${deps.run.repository}@${deps.run.sha.slice(0, 12)} ${deps.run.runUrl}`.slice(
        0,
        1024,
      ),
    UsePreviousTemplate: true,
    Parameters: (stack.Parameters ?? []).map((parameter) => ({
      ParameterKey: parameter.ParameterKey,
      UsePreviousValue: true,
    })),
    Capabilities: [...inputs.capabilities],
    Tags: stack.Tags ?? [],
    ...(inputs.roleArn ? { RoleARN: inputs.roleArn } : {}),
  };
}

/** Each drifted property the change set puts back: actual (before) → template value (after). */
function revertedPropertiesMarkdown(changes: readonly Change[]): string {
  const rows = changes.flatMap((change) =>
    (change.ResourceChange?.Details ?? []).map((detail) => [
      change.ResourceChange?.LogicalResourceId ?? '',
      `\`${detail.Target?.Path ?? detail.Target?.Name ?? ''}\``,
      `\`${detail.Target?.BeforeValue ?? ''}\` → \`${detail.Target?.AfterValue ?? ''}\``,
    ]),
  );
  return rows.length
    ? `Properties put back to the template's values:\n\n${table(['Resource', 'Property', 'Now → after the revert'], rows)}`
    : '';
}

function heldBack(
  invocation: Invocation,
  stack: Stack,
  markdown: string,
  status: string,
  note: string,
): DeployResult {
  const mode = status === 'PREVIEW' ? 'preview' : 'ready for review';
  return {
    stack,
    status,
    changed: true,
    changeSet: markdown,
    headline: `${status === 'PREVIEW' ? '🔍' : '📝'} Stack ${invocation.inputs.stackName}: drift revert ${mode}`,
    body: [markdown, `_${note}_`],
  };
}
