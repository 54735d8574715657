import {
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type CloudFormationClient,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { ConfigurationError } from './errors';
import { formatDuration, type Clock } from './wait';

/** Statuses a stack rests in; anything else is still changing. */
const SETTLED = /(_COMPLETE|_FAILED)$/;
const FAILED = /(ROLLBACK|_FAILED$)/;
const POLL_MS = 5000;

export const isSettled = (status: string | undefined): boolean =>
  status !== undefined && SETTLED.test(status) && !status.endsWith('_IN_PROGRESS');
export const isFailure = (status: string | undefined): boolean =>
  status !== undefined && FAILED.test(status);

export async function describeStack(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<Stack | undefined> {
  try {
    const { Stacks = [] } = await cloudformation.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    const stack = Stacks[0];
    return stack?.StackStatus === 'DELETE_COMPLETE' ? undefined : stack;
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) return undefined;
    throw error;
  }
}

export interface WaitResult {
  readonly stack: Stack | undefined;
  readonly events: readonly StackEvent[];
  readonly timedOut: boolean;
}

/**
 * Waits for the stack to settle, reporting each new stack event as it happens so a long wait
 * shows progress. Stops at the deadline (the operation goes on in AWS; the step fails).
 */
export async function waitForStack(
  cloudformation: CloudFormationClient,
  stackName: string,
  startedAt: Date,
  clock: Clock,
  deadline: number,
  onEvent: (event: StackEvent) => void,
): Promise<WaitResult> {
  const seen = new Set<string>();
  const events: StackEvent[] = [];
  for (;;) {
    const fresh = await newEvents(cloudformation, stackName, startedAt, seen);
    for (const event of fresh) onEvent(event);
    events.push(...fresh);
    const stack = await describeStack(cloudformation, stackName);
    if (!stack || isSettled(stack.StackStatus)) return { stack, events, timedOut: false };
    if (clock.now() >= deadline) return { stack, events, timedOut: true };
    await clock.sleep(POLL_MS);
  }
}

async function newEvents(
  cloudformation: CloudFormationClient,
  stackName: string,
  since: Date,
  seen: Set<string>,
): Promise<StackEvent[]> {
  const fresh: StackEvent[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await cloudformation.send(
        new DescribeStackEventsCommand({ StackName: stackName, NextToken: token }),
      );
      const events = page.StackEvents ?? [];
      for (const event of events) {
        if (
          !event.EventId ||
          seen.has(event.EventId) ||
          (event.Timestamp && event.Timestamp < since)
        )
          continue;
        seen.add(event.EventId);
        fresh.push(event);
      }
      const reachedOlder = events.some(
        (event) => event.Timestamp !== undefined && event.Timestamp < since,
      );
      token = reachedOlder ? undefined : page.NextToken;
    } while (token);
  } catch (error) {
    // A stack deleted on failure (OnStackFailure DELETE) may vanish mid-wait.
    if (!(error instanceof Error && /does not exist/.test(error.message))) throw error;
  }
  return fresh.reverse();
}

/** One stack event as a log line: time since the start, resource, status, reason. */
export function eventLine(event: StackEvent, started: number): string {
  const at = event.Timestamp ? `+${formatDuration(event.Timestamp.getTime() - started)}` : '';
  const reason = event.ResourceStatusReason ? ` - ${event.ResourceStatusReason}` : '';
  return `${at.padEnd(8)} ${event.LogicalResourceId ?? ''} ${event.ResourceType ?? ''} ${event.ResourceStatus ?? ''}${reason}`;
}

/**
 * Waits for a stack that another operation is changing to settle, logging its events; at the
 * deadline fails with `atTimeout` saying what was (not) done.
 */
export async function waitUntilSettled(
  cloudformation: CloudFormationClient,
  stack: Stack,
  clock: Clock,
  deadline: number,
  log: (line: string) => void,
  atTimeout: string,
): Promise<Stack | undefined> {
  const stackName = stack.StackName ?? '';
  log(
    `Stack ${stackName} is ${stack.StackStatus ?? '?'}; waiting for that operation to finish first.`,
  );
  const started = clock.now();
  const waited = await waitForStack(
    cloudformation,
    stackName,
    new Date(started),
    clock,
    deadline,
    (event) => {
      log(eventLine(event, started));
    },
  );
  if (waited.timedOut) {
    throw new ConfigurationError(
      `Stack ${stackName} is still ${waited.stack?.StackStatus ?? 'busy'} at the timeout; ${atTimeout}`,
    );
  }
  return waited.stack;
}
