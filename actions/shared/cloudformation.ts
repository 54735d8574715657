import {
  DescribeStacksCommand,
  paginateDescribeStackEvents,
  type CloudFormationClient,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import type { ActionIO } from './io';
import { formatDuration, type Clock } from './wait';

const FAILED = /(ROLLBACK|_FAILED$)/;
const POLL_MS = 5000;

/**
 * A stack another operation is changing. REVIEW_IN_PROGRESS is not: it is a stack a change set
 * created and nobody executed, and it stays that way until someone acts.
 */
export const isBusy = (status: string | undefined): boolean =>
  status !== undefined && status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
export const isFailure = (status: string | undefined): boolean =>
  status !== undefined && FAILED.test(status);

const doesNotExist = (error: unknown): boolean =>
  error instanceof Error && /does not exist/.test(error.message);

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
    if (doesNotExist(error)) return undefined;
    throw error;
  }
}

export interface StackWatch {
  readonly clock: Clock;
  readonly deadline: number;
  readonly onEvent: (event: StackEvent) => void;
  /**
   * The ClientRequestToken of the operation we started: only its events count. Without one (an
   * operation someone else started), the events already there when the wait begins are skipped.
   * Either way the runner's clock is never compared with CloudFormation's.
   */
  readonly token?: string;
}

export interface WaitResult {
  readonly stack: Stack | undefined;
  readonly events: readonly StackEvent[];
  readonly timedOut: boolean;
}

/**
 * Waits for the stack to settle, reporting each new stack event as it happens so a long wait
 * shows progress (hand-written: the SDK's waiters show nothing while they wait). Stops at the
 * deadline; the operation goes on in AWS.
 */
export async function waitForStack(
  cloudformation: CloudFormationClient,
  stackName: string,
  watch: StackWatch,
): Promise<WaitResult> {
  const seen = new Set<string>();
  const token = watch.token;
  const belongs =
    token === undefined ? () => true : (e: StackEvent) => e.ClientRequestToken === token;
  if (token === undefined) await markExistingEvents(cloudformation, stackName, seen);
  const events: StackEvent[] = [];
  for (;;) {
    const fresh = await newEvents(cloudformation, stackName, seen, belongs);
    for (const event of fresh) watch.onEvent(event);
    events.push(...fresh);
    const stack = await describeStack(cloudformation, stackName);
    if (!stack || !isBusy(stack.StackStatus)) return { stack, events, timedOut: false };
    if (watch.clock.now() >= watch.deadline) return { stack, events, timedOut: true };
    await watch.clock.sleep(POLL_MS);
  }
}

/**
 * Follows an operation this run started under `token`, streaming its events into a
 * "Stack events" log group, until the stack settles or the deadline passes.
 */
export function followOperation(
  io: Pick<ActionIO, 'group' | 'info'>,
  cloudformation: CloudFormationClient,
  stackName: string,
  operation: { clock: Clock; started: number; deadline: number; token: string },
): Promise<WaitResult> {
  return io.group('Stack events', () =>
    waitForStack(cloudformation, stackName, {
      clock: operation.clock,
      deadline: operation.deadline,
      token: operation.token,
      onEvent: (event) => {
        io.info(eventLine(event, operation.started));
      },
    }),
  );
}

/** The newest page of events (newest first) is what "already there" means. */
async function markExistingEvents(
  cloudformation: CloudFormationClient,
  stackName: string,
  seen: Set<string>,
): Promise<void> {
  try {
    for await (const page of paginateDescribeStackEvents(
      { client: cloudformation },
      { StackName: stackName },
    )) {
      for (const event of page.StackEvents ?? []) if (event.EventId) seen.add(event.EventId);
      return;
    }
  } catch (error) {
    if (!doesNotExist(error)) throw error;
  }
}

/** Events newer than the last seen one that belong to the operation, oldest first. */
async function newEvents(
  cloudformation: CloudFormationClient,
  stackName: string,
  seen: Set<string>,
  belongs: (event: StackEvent) => boolean,
): Promise<StackEvent[]> {
  const fresh: StackEvent[] = [];
  try {
    for await (const page of paginateDescribeStackEvents(
      { client: cloudformation },
      { StackName: stackName },
    )) {
      // Events come newest first: the first one already seen, or of an earlier operation, ends the news.
      const onPage = page.StackEvents ?? [];
      const older = onPage.findIndex(
        (event) => !event.EventId || seen.has(event.EventId) || !belongs(event),
      );
      const news = older === -1 ? onPage : onPage.slice(0, older);
      for (const event of news) seen.add(event.EventId ?? '');
      fresh.push(...news);
      if (older !== -1) break;
    }
  } catch (error) {
    // A stack deleted on failure (OnStackFailure DELETE), or by a teardown, vanishes mid-wait.
    if (!doesNotExist(error)) throw error;
  }
  return fresh.reverse();
}

/** One stack event as a log line: time since the start, resource, status, reason. */
export function eventLine(event: StackEvent, started: number): string {
  const at = event.Timestamp ? `+${formatDuration(event.Timestamp.getTime() - started)}` : '';
  const reason = event.ResourceStatusReason ? ` - ${event.ResourceStatusReason}` : '';
  return `${at.padEnd(8)} ${event.LogicalResourceId ?? ''} ${event.ResourceType ?? ''} ${event.ResourceStatus ?? ''}${reason}`;
}
