import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { describeStack, eventLine, isBusy, waitForStack } from './cloudformation';
import { StateError, withContext } from './errors';
import type { ActionIO } from './io';
import type { Clock } from './wait';

export interface BusyStackWait {
  readonly clock: Clock;
  readonly deadline: number;
  readonly log: (line: string) => void;
  /** What was (not) done, said when the deadline passes: "nothing was deleted." */
  readonly atTimeout: string;
}

export interface SettledStack {
  /** undefined when the stack does not exist (or the operation waited for deleted it). */
  readonly stack: Stack | undefined;
  /** The status of the other operation this call waited out, if it waited. */
  readonly waitedFor: string | undefined;
}

/**
 * The stack as it is once no other operation is changing it. While another operation runs, its
 * events are logged; at the deadline a StateError says what was (not) done.
 */
export async function settledStack(
  cloudformation: CloudFormationClient,
  stackName: string,
  wait: BusyStackWait,
): Promise<SettledStack> {
  const stack = await withContext(`could not describe stack ${stackName}`, () =>
    describeStack(cloudformation, stackName),
  );
  if (!stack || !isBusy(stack.StackStatus)) return { stack, waitedFor: undefined };
  wait.log(
    `Stack ${stackName} is ${stack.StackStatus ?? '?'}; waiting for that operation to finish first.`,
  );
  const started = wait.clock.now();
  const waited = await withContext(`could not follow stack ${stackName}`, () =>
    waitForStack(cloudformation, stackName, {
      clock: wait.clock,
      deadline: wait.deadline,
      onEvent: (event) => {
        wait.log(eventLine(event, started));
      },
    }),
  );
  if (waited.timedOut) {
    throw new StateError(
      `Stack ${stackName} is still ${waited.stack?.StackStatus ?? 'busy'} at the timeout (timeout-minutes); ${wait.atTimeout}`,
    );
  }
  return { stack: waited.stack, waitedFor: stack.StackStatus };
}

/** What an action's invocation brings to wait on its stack: clients, clock, log and deadline. */
export interface StackInvocation {
  readonly deps: {
    readonly cloudformation: CloudFormationClient;
    readonly clock: Clock;
    readonly io: Pick<ActionIO, 'info'>;
  };
  readonly inputs: { readonly stackName: string };
  readonly deadline: number;
}

/** settledStack for an action's invocation: its stack, its deadline, logged as step output. */
export function settledStackOf(
  invocation: StackInvocation,
  atTimeout: string,
): Promise<SettledStack> {
  const { deps, inputs, deadline } = invocation;
  return settledStack(deps.cloudformation, inputs.stackName, {
    clock: deps.clock,
    deadline,
    log: (line) => {
      deps.io.info(line);
    },
    atTimeout,
  });
}
