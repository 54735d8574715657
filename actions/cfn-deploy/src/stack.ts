import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  UpdateTerminationProtectionCommand,
  waitUntilStackDeleteComplete,
  type Change,
  type CloudFormationClient,
  type CreateChangeSetCommandInput,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { AwsOperationError, withContext } from '../../shared/errors';
import type { Clock } from '../../shared/wait';

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

export function deployedTemplate(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<string> {
  return withContext(`could not read the deployed template of stack ${stackName}`, async () => {
    const { TemplateBody = '' } = await cloudformation.send(
      new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }),
    );
    return TemplateBody;
  });
}

export async function deleteStackAndWait(
  cloudformation: CloudFormationClient,
  stackName: string,
  why: string,
  maxWaitSeconds: number,
): Promise<void> {
  await withContext(`could not delete stack ${stackName} (${why})`, async () => {
    await cloudformation.send(new DeleteStackCommand({ StackName: stackName }));
    await waitUntilStackDeleteComplete(
      { client: cloudformation, maxWaitTime: maxWaitSeconds, minDelay: 5, maxDelay: 15 },
      { StackName: stackName },
    );
  });
}

export type ChangeSetOutcome =
  | { readonly kind: 'empty'; readonly reason: string }
  | {
      readonly kind: 'ready';
      readonly changeSetId: string;
      readonly stackId: string;
      readonly changes: readonly Change[];
    }
  | { readonly kind: 'failed'; readonly reason: string };

/** The "nothing to change" answers CloudFormation (and moto) give, in their several shapes. */
export const EMPTY_CHANGE_SET = /didn't contain changes|No updates are to be performed|no changes/i;

/**
 * Creates the change set and waits until CloudFormation has computed it, recognising the shapes
 * of "no changes": a ValidationError from CreateChangeSet, or a FAILED change set saying so.
 * A CREATE_COMPLETE change set with no resource changes is *not* empty: it changes outputs,
 * parameters or tags, and executing it applies them (moto also answers a true no-op this way,
 * which the caller's template/parameter comparison catches before any change set is made).
 */
export async function createChangeSet(
  cloudformation: CloudFormationClient,
  input: CreateChangeSetCommandInput,
  clock: Clock,
  deadline: number,
): Promise<ChangeSetOutcome> {
  let created;
  try {
    created = await cloudformation.send(new CreateChangeSetCommand(input));
  } catch (error) {
    if (error instanceof Error && EMPTY_CHANGE_SET.test(error.message))
      return { kind: 'empty', reason: error.message };
    throw new AwsOperationError(
      `could not create change set ${input.ChangeSetName} for stack ${input.StackName}`,
      error,
    );
  }
  const changeSetId = created.Id ?? input.ChangeSetName ?? '';
  for (;;) {
    const described = await withContext(
      `could not describe change set ${input.ChangeSetName}`,
      () =>
        cloudformation.send(
          new DescribeChangeSetCommand({ ChangeSetName: changeSetId, StackName: input.StackName }),
        ),
    );
    if (described.Status === 'FAILED') {
      const reason = described.StatusReason ?? 'no reason given';
      return EMPTY_CHANGE_SET.test(reason) ? { kind: 'empty', reason } : { kind: 'failed', reason };
    }
    if (described.Status === 'CREATE_COMPLETE') {
      const changes = [
        ...(described.Changes ?? []),
        ...(await remainingChanges(
          cloudformation,
          changeSetId,
          input.StackName,
          described.NextToken,
        )),
      ];
      return {
        kind: 'ready',
        changeSetId,
        stackId: described.StackId ?? created.StackId ?? '',
        changes,
      };
    }
    if (clock.now() > deadline)
      return {
        kind: 'failed',
        reason: `change set still ${described.Status ?? 'pending'} at the timeout`,
      };
    await clock.sleep(2000);
  }
}

async function remainingChanges(
  cloudformation: CloudFormationClient,
  changeSetId: string,
  stackName: string | undefined,
  token: string | undefined,
): Promise<Change[]> {
  const changes: Change[] = [];
  for (let next = token; next;) {
    const page = await cloudformation.send(
      new DescribeChangeSetCommand({
        ChangeSetName: changeSetId,
        StackName: stackName,
        NextToken: next,
      }),
    );
    changes.push(...(page.Changes ?? []));
    next = page.NextToken;
  }
  return changes;
}

export async function deleteChangeSet(
  cloudformation: CloudFormationClient,
  changeSetId: string,
  stackName: string,
): Promise<void> {
  await withContext(`could not delete change set ${changeSetId}`, () =>
    cloudformation.send(
      new DeleteChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackName }),
    ),
  );
}

export async function executeChangeSet(
  cloudformation: CloudFormationClient,
  changeSetId: string,
  stackName: string,
  token: string,
): Promise<void> {
  await withContext(`could not execute change set ${changeSetId} on stack ${stackName}`, () =>
    cloudformation.send(
      new ExecuteChangeSetCommand({
        ChangeSetName: changeSetId,
        StackName: stackName,
        ClientRequestToken: token,
      }),
    ),
  );
}

export async function protectFromTermination(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<void> {
  await withContext(`could not enable termination protection on stack ${stackName}`, () =>
    cloudformation.send(
      new UpdateTerminationProtectionCommand({
        StackName: stackName,
        EnableTerminationProtection: true,
      }),
    ),
  );
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
