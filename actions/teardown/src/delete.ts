import { DeleteStackCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { settledStackOf } from '../../shared/busy-stack';
import { followOperation, type WaitResult } from '../../shared/cloudformation';
import { ConfigurationError, StateError, withContext } from '../../shared/errors';
import type { Invocation } from './deps';

/** The stack as the teardown finds it once no other operation is changing it. */
export type FoundStack =
  | { readonly kind: 'absent' }
  /** Another operation (a deletion) made it vanish while this run waited. */
  | { readonly kind: 'gone' }
  | { readonly kind: 'present'; readonly stack: Stack };

export async function findStack(invocation: Invocation): Promise<FoundStack> {
  const { inputs } = invocation;
  const { stack, waitedFor } = await settledStackOf(invocation, 'nothing was deleted.');
  if (!stack) return waitedFor ? { kind: 'gone' } : { kind: 'absent' };
  if (stack.EnableTerminationProtection) {
    throw new ConfigurationError(
      `Stack ${inputs.stackName} has termination protection. If you really mean to delete it, lift it first: aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name ${inputs.stackName} (and set the repository variable TERMINATION_PROTECTION to false, or the next deploy turns it on again). Nothing was touched.`,
    );
  }
  return { kind: 'present', stack };
}

/**
 * Deletes the stack (as role-arn, when given) under a ClientRequestToken of its own and follows
 * that deletion's events until the stack is gone, fails, or timeout-minutes passes.
 */
export async function deleteStack(invocation: Invocation): Promise<WaitResult> {
  const { deps, inputs } = invocation;
  const token = `teardown-${deps.clock.now().toString(36)}`;
  await withContext(`could not delete stack ${inputs.stackName}`, () =>
    deps.cloudformation.send(
      new DeleteStackCommand({
        StackName: inputs.stackName,
        ClientRequestToken: token,
        ...(inputs.roleArn ? { RoleARN: inputs.roleArn } : {}),
      }),
    ),
  );
  deps.io.info(
    `Deleting stack ${inputs.stackName}; waiting up to ${inputs.timeoutMinutes} minute(s).`,
  );
  const result = await followOperation(deps.io, deps.cloudformation, inputs.stackName, {
    clock: deps.clock,
    started: invocation.started,
    deadline: invocation.deadline,
    token,
  });
  if (result.timedOut)
    throw new StateError(
      `Stack ${inputs.stackName} is still ${result.stack?.StackStatus ?? 'deleting'} after ${inputs.timeoutMinutes} minute(s) (timeout-minutes); CloudFormation goes on.`,
    );
  return result;
}
