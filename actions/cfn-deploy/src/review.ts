import { settledStackOf } from '../../shared/busy-stack';
import { ConfigurationError, StateError } from '../../shared/errors';
import { describeChangeSet, listChangeSets, templateOf } from './change-set';
import type { Invocation } from './deps';
import { executeAndWait } from './execute';
import { changeSetMarkdown } from './report';
import type { DeployResult } from './result';
import { sameTemplate } from './template';

/**
 * Executes exactly the change set a person reviewed (execute-change-set-id), after checking that
 * it is still what they saw: a change set of this stack, ready, the stack's latest, and made
 * from the template this run holds.
 */
export async function executeReviewed(invocation: Invocation): Promise<DeployResult> {
  const { deps, inputs } = invocation;
  const id = inputs.reviewedChangeSetId;
  const { stack } = await settledStackOf(invocation, `change set ${id} was not executed.`);
  if (!stack)
    throw new StateError(
      `Stack ${inputs.stackName} does not exist, so change set ${id} cannot be executed.`,
    );
  const changeSet = await describeChangeSet(deps.cloudformation, id, inputs.stackName);
  if (changeSet.stackId !== stack.StackId)
    throw new ConfigurationError(
      `Input "execute-change-set-id": ${id} is not a change set of stack ${inputs.stackName}.`,
    );
  if (changeSet.status !== 'CREATE_COMPLETE' || changeSet.executionStatus !== 'AVAILABLE')
    throw new StateError(
      `Change set ${changeSet.name} cannot be executed: it is ${changeSet.status}/${changeSet.executionStatus}${changeSet.reason ? ` (${changeSet.reason})` : ''}.`,
    );
  const latest = (await listChangeSets(deps.cloudformation, inputs.stackName))[0];
  if (latest?.ChangeSetId !== changeSet.id)
    throw new StateError(
      `Change set ${changeSet.name} is not the latest of stack ${inputs.stackName} (${latest?.ChangeSetName ?? 'none'} is newer): review that one, or create a new one. Nothing was executed.`,
    );
  const reviewed = await templateOf(deps.cloudformation, inputs.stackName, changeSet.id);
  if (!sameTemplate(reviewed, inputs.template.body))
    throw new StateError(
      `Change set ${changeSet.name} was made from a template other than ${inputs.templatePath} in this run: it is not what this commit would deploy. Nothing was executed.`,
    );
  const type = stack.StackStatus === 'REVIEW_IN_PROGRESS' ? 'CREATE' : 'UPDATE';
  deps.io.info(
    `Change set ${changeSet.name} is the stack's latest and matches ${inputs.templatePath}: executing it.`,
  );
  const markdown = changeSetMarkdown(inputs.stackName, type, changeSet.changes, inputs.mode);
  return executeAndWait(invocation, changeSet, type, markdown);
}
