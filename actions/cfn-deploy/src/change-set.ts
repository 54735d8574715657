import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  paginateDescribeChangeSet,
  paginateListChangeSets,
  UpdateTerminationProtectionCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackDeleteComplete,
  type Change,
  type ChangeSetSummary,
  type CloudFormationClient,
  type CreateChangeSetCommandInput,
  type DescribeChangeSetCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { AwsOperationError, withContext } from '../../shared/errors';

export type ChangeSetOutcome =
  | { readonly kind: 'empty'; readonly reason: string; readonly changeSetId: string | undefined }
  | { readonly kind: 'ready'; readonly changeSet: DescribedChangeSet }
  | { readonly kind: 'failed'; readonly reason: string; readonly changeSetId: string };

export interface DescribedChangeSet {
  readonly id: string;
  readonly name: string;
  readonly stackId: string;
  readonly status: string;
  readonly executionStatus: string;
  readonly reason: string;
  readonly changes: readonly Change[];
}

/** The "nothing to change" answers CloudFormation (and moto) give, in their several shapes. */
export const EMPTY_CHANGE_SET = /didn't contain changes|No updates are to be performed|no changes/i;

/**
 * Creates the change set and waits (the SDK's waiter) until CloudFormation has computed it,
 * recognising the shapes of "no changes": a ValidationError from CreateChangeSet, or a FAILED
 * change set saying so. A CREATE_COMPLETE change set with no resource changes is *not* empty: it
 * changes outputs, parameters or tags, and executing it applies them.
 */
export async function createChangeSet(
  cloudformation: CloudFormationClient,
  input: CreateChangeSetCommandInput,
  maxWaitSeconds: number,
): Promise<ChangeSetOutcome> {
  let changeSetId: string;
  try {
    changeSetId = (await cloudformation.send(new CreateChangeSetCommand(input))).Id ?? '';
  } catch (error) {
    if (error instanceof Error && EMPTY_CHANGE_SET.test(error.message))
      return { kind: 'empty', reason: error.message, changeSetId: undefined };
    throw new AwsOperationError(
      `could not create change set ${input.ChangeSetName} for stack ${input.StackName}`,
      error,
    );
  }
  const stackName = input.StackName ?? '';
  try {
    await waitUntilChangeSetCreateComplete(
      {
        client: cloudformation,
        maxWaitTime: Math.max(5, maxWaitSeconds),
        minDelay: 2,
        maxDelay: 10,
      },
      { ChangeSetName: changeSetId, StackName: stackName },
    );
  } catch {
    // FAILED, or still pending at the timeout: the description below says which, and why.
  }
  const changeSet = await describeChangeSet(cloudformation, changeSetId, stackName);
  if (changeSet.status === 'CREATE_COMPLETE') return { kind: 'ready', changeSet };
  const reason =
    changeSet.status === 'FAILED'
      ? changeSet.reason || 'no reason given'
      : `change set still ${changeSet.status || 'pending'} at the timeout`;
  return EMPTY_CHANGE_SET.test(reason)
    ? { kind: 'empty', reason, changeSetId }
    : { kind: 'failed', reason, changeSetId };
}

/** The change set with every page of its changes. */
export function describeChangeSet(
  cloudformation: CloudFormationClient,
  changeSetId: string,
  stackName: string,
): Promise<DescribedChangeSet> {
  return withContext(`could not describe change set ${changeSetId}`, async () => {
    let first: DescribeChangeSetCommandOutput | undefined;
    const changes: Change[] = [];
    for await (const page of paginateDescribeChangeSet(
      { client: cloudformation },
      { ChangeSetName: changeSetId, StackName: stackName },
    )) {
      first ??= page;
      changes.push(...(page.Changes ?? []));
    }
    return {
      id: first?.ChangeSetId ?? changeSetId,
      name: first?.ChangeSetName ?? '',
      stackId: first?.StackId ?? '',
      status: first?.Status ?? '',
      executionStatus: first?.ExecutionStatus ?? '',
      reason: first?.StatusReason ?? '',
      changes,
    };
  });
}

/** Every change set of the stack, newest first. */
export function listChangeSets(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<ChangeSetSummary[]> {
  return withContext(`could not list the change sets of stack ${stackName}`, async () => {
    const summaries: ChangeSetSummary[] = [];
    for await (const page of paginateListChangeSets(
      { client: cloudformation },
      { StackName: stackName },
    ))
      summaries.push(...(page.Summaries ?? []));
    const time = (summary: ChangeSetSummary) => summary.CreationTime?.getTime() ?? 0;
    return summaries.sort((a, b) => time(b) - time(a));
  });
}

/** The template a change set (or, without one, the stack) holds, as it was submitted. */
export function templateOf(
  cloudformation: CloudFormationClient,
  stackName: string,
  changeSetId?: string,
): Promise<string> {
  const of = changeSetId ? `change set ${changeSetId}` : `stack ${stackName}`;
  return withContext(`could not read the template of ${of}`, async () => {
    const { TemplateBody = '' } = await cloudformation.send(
      new GetTemplateCommand({
        StackName: stackName,
        TemplateStage: 'Original',
        ...(changeSetId ? { ChangeSetName: changeSetId } : {}),
      }),
    );
    return TemplateBody;
  });
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
  options: { token: string; disableRollback: boolean },
): Promise<void> {
  await withContext(`could not execute change set ${changeSetId} on stack ${stackName}`, () =>
    cloudformation.send(
      new ExecuteChangeSetCommand({
        ChangeSetName: changeSetId,
        StackName: stackName,
        ClientRequestToken: options.token,
        ...(options.disableRollback ? { DisableRollback: true } : {}),
      }),
    ),
  );
}

export async function deleteStackAndWait(
  cloudformation: CloudFormationClient,
  stackName: string,
  options: { why: string; roleArn: string; maxWaitSeconds: number },
): Promise<void> {
  await withContext(`could not delete stack ${stackName} (${options.why})`, async () => {
    await cloudformation.send(
      new DeleteStackCommand({
        StackName: stackName,
        ...(options.roleArn ? { RoleARN: options.roleArn } : {}),
      }),
    );
    await waitUntilStackDeleteComplete(
      { client: cloudformation, maxWaitTime: options.maxWaitSeconds, minDelay: 5, maxDelay: 15 },
      { StackName: stackName },
    );
  });
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
