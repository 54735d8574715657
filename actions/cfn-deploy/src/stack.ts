import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  UpdateTerminationProtectionCommand,
  waitUntilStackDeleteComplete,
  type Change,
  type CloudFormationClient,
  type CreateChangeSetCommandInput,
} from '@aws-sdk/client-cloudformation';
import { AwsOperationError, withContext } from '../../shared/errors';
import type { Clock } from '../../shared/wait';

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
