import type { Stack, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { reportFailedEvents } from '../../shared/failed-events';
import { runAction } from '../../shared/run';
import { StateError } from '../../shared/errors';
import { formatDuration, timeWindow } from '../../shared/wait';
import {
  backUpTables,
  emptyBucket,
  liftDeletionProtection,
  physicalIds,
  stackResources,
} from './data';
import { deleteStack, findStack } from './delete';
import type { Backup, TeardownDeps, Invocation } from './deps';
import { getInputs } from './inputs';
import { deletedMarkdown, keptMarkdown, publishTeardown } from './report';

export type { TeardownDeps } from './deps';

export function run(deps: TeardownDeps): Promise<void> {
  return runAction(deps.io, () => teardown(deps));
}

/** Read inputs → find the stack → keep its data (backups) → delete it → report. */
async function teardown(deps: TeardownDeps): Promise<void> {
  const inputs = getInputs(deps.io);
  const invocation: Invocation = { deps, inputs, ...timeWindow(deps.clock, inputs.timeoutMinutes) };

  const found = await findStack(invocation);
  if (found.kind !== 'present') {
    await publishTeardown(deps.io, nothingLeft(inputs.stackName, found.kind === 'gone'));
    return;
  }
  const { resources, backups } = await prepare(invocation, found.stack);
  const deletion = await deleteStack(invocation);
  if (deletion.stack) {
    const status = deletion.stack.StackStatus ?? 'DELETE_FAILED';
    const failed = reportFailedEvents(deps.io, deletion.events, {
      stackName: inputs.stackName,
      verb: 'delete',
    });
    await publishTeardown(deps.io, {
      status,
      deleted: false,
      backups,
      summary: [
        `## ❌ Teardown of ${inputs.stackName}: ${status}`,
        '',
        failed.markdown,
        '',
        keptMarkdown(backups),
      ].join('\n'),
    });
    throw new StateError(
      `Stack ${inputs.stackName} is ${status}: ${failed.failed.length} resource(s) could not be deleted; see the annotations. Fix them and run the teardown again.`,
    );
  }
  const took = formatDuration(deps.clock.now() - invocation.started);
  await publishTeardown(deps.io, {
    status: 'DELETE_COMPLETE',
    deleted: true,
    backups,
    summary: deletedMarkdown(inputs.stackName, resources, backups, took),
  });
}

/** Backs up the tables, lifts their deletion protection and empties the buckets. */
async function prepare(
  invocation: Invocation,
  stack: Stack,
): Promise<{ resources: StackResourceSummary[]; backups: Backup[] }> {
  const { io } = invocation.deps;
  if (stack.StackStatus === 'REVIEW_IN_PROGRESS') {
    io.info(
      `Stack ${invocation.inputs.stackName} is REVIEW_IN_PROGRESS: a change set created it and never ran, so it holds no resources.`,
    );
    return { resources: [], backups: [] };
  }
  const resources = await stackResources(invocation);
  const tables = physicalIds(resources, 'AWS::DynamoDB::Table');
  const buckets = physicalIds(resources, 'AWS::S3::Bucket');
  const backups = invocation.inputs.backup
    ? await io.group('Back up the tables', () => backUpTables(invocation, tables))
    : [];
  if (!invocation.inputs.backup)
    io.warning(
      `backup is false: the data of ${tables.join(', ') || 'no table'} is deleted with the stack, without a backup.`,
    );
  await io.group('Release the tables and empty the buckets', async () => {
    for (const name of tables) await liftDeletionProtection(invocation, name);
    for (const bucket of buckets) await emptyBucket(invocation, bucket);
  });
  return { resources, backups };
}

function nothingLeft(stackName: string, deletedMeanwhile: boolean) {
  const why = deletedMeanwhile
    ? 'Another operation was deleting the stack; it has finished, and nothing is left.'
    : 'The stack does not exist.';
  return {
    status: deletedMeanwhile ? 'DELETE_COMPLETE' : 'NOT_FOUND',
    deleted: false,
    backups: [],
    summary: `## ✅ Teardown of ${stackName}: nothing to delete\n\n${why}\n`,
  };
}
