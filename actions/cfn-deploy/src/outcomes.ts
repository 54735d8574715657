import type { Stack } from '@aws-sdk/client-cloudformation';
import { deleteChangeSet } from './change-set';
import type { Invocation } from './deps';
import type { DeployResult } from './result';

/** Nothing to change: success (unless fail-on-empty-changeset), nothing executed. */
export function unchangedResult(
  invocation: Invocation,
  stack: Stack | undefined,
  why: string,
): DeployResult {
  const { inputs } = invocation;
  const wouldProtect =
    inputs.mode === 'preview' &&
    inputs.terminationProtection &&
    !stack?.EnableTerminationProtection;
  return {
    stack,
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

/** Deleting a change set that is of no more use is tidying up: a failure is only logged. */
export async function cleanUp(invocation: Invocation, changeSetId: string): Promise<void> {
  try {
    await deleteChangeSet(invocation.deps.cloudformation, changeSetId, invocation.inputs.stackName);
  } catch (error) {
    invocation.deps.io.debug(`change set ${changeSetId} was not deleted: ${String(error)}`);
  }
}
