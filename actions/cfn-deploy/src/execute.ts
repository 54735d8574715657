import type { Stack } from '@aws-sdk/client-cloudformation';
import { followOperation, isFailure, type WaitResult } from '../../shared/cloudformation';
import { StateError } from '../../shared/errors';
import { reportFailedEvents } from '../../shared/failed-events';
import { executeChangeSet, protectFromTermination, type DescribedChangeSet } from './change-set';
import type { Invocation } from './deps';
import type { ChangeSetType } from './request';
import type { DeployResult } from './result';

/**
 * Executes the change set under a ClientRequestToken of its own and follows the stack's events
 * until it settles: the events of this execution are the ones carrying that token, however the
 * runner's clock and CloudFormation's differ.
 */
export async function executeAndWait(
  invocation: Invocation,
  changeSet: DescribedChangeSet,
  type: ChangeSetType,
  markdown: string,
): Promise<DeployResult> {
  const { deps, inputs } = invocation;
  const token = `x${deps.clock.now().toString(36)}-${changeSet.name}`.slice(0, 128);
  await executeChangeSet(deps.cloudformation, changeSet.id, inputs.stackName, {
    token,
    // CloudFormation takes DisableRollback only for updates: a create follows on-failure.
    disableRollback: type === 'UPDATE' && inputs.disableRollback,
  });
  deps.io.info(
    `Executing ${changeSet.changes.length} change(s); waiting up to ${inputs.timeoutMinutes} minute(s) for stack ${inputs.stackName}.`,
  );
  const waited = await followOperation(deps.io, deps.cloudformation, inputs.stackName, {
    clock: deps.clock,
    started: invocation.started,
    deadline: invocation.deadline,
    token,
  });
  if (waited.timedOut) {
    throw new StateError(
      `Stack ${inputs.stackName} is still ${waited.stack?.StackStatus ?? 'changing'} after ${inputs.timeoutMinutes} minute(s) (timeout-minutes); CloudFormation goes on, and the next run waits for it.`,
    );
  }
  const stack = waited.stack;
  if (!stack || isFailure(stack.StackStatus)) return failedResult(invocation, waited, markdown);
  const protectedStack = await applyTerminationProtection(invocation, stack);
  return {
    stack: protectedStack,
    status: stack.StackStatus ?? '',
    changed: true,
    changeSet: markdown,
    headline: `✅ Stack ${inputs.stackName}: ${stack.StackStatus ?? ''}`,
    body: [markdown],
  };
}

/** The execution failed: each failed resource annotated and tabled; the step will fail. */
function failedResult(invocation: Invocation, waited: WaitResult, markdown: string): DeployResult {
  const { deps, inputs } = invocation;
  const status = waited.stack?.StackStatus ?? 'DELETE_COMPLETE (deleted after its creation failed)';
  const failed = reportFailedEvents(deps.io, waited.events, {
    stackName: inputs.stackName,
    verb: 'deploy',
    template: { path: inputs.templatePath, body: inputs.template.body },
  });
  return {
    stack: waited.stack,
    status,
    changed: true,
    changeSet: markdown,
    headline: `❌ Stack ${inputs.stackName}: ${status}`,
    body: [failed.markdown, markdown],
    failure: `Stack ${inputs.stackName} failed: ${status}. ${failed.failed.length} resource(s) failed; see the annotations and the job summary.`,
  };
}

/** Turns termination protection on once the stack exists (never in a preview). */
export async function applyTerminationProtection(
  invocation: Invocation,
  stack: Stack,
): Promise<Stack> {
  const { deps, inputs } = invocation;
  if (!inputs.terminationProtection || stack.EnableTerminationProtection) return stack;
  if (inputs.mode === 'preview' || inputs.mode === 'create-only') return stack;
  await protectFromTermination(deps.cloudformation, inputs.stackName);
  deps.io.info(`Termination protection enabled on stack ${inputs.stackName}.`);
  return { ...stack, EnableTerminationProtection: true };
}
