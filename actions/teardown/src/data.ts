import {
  paginateListStackResources,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import {
  CreateBackupCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { StateError, withContext } from '../../shared/errors';
import type { Backup, Invocation } from './deps';

const DELETE_OBJECTS_LIMIT = 1000;
const BACKUP_POLL_MS = 5000;

export function stackResources(invocation: Invocation): Promise<StackResourceSummary[]> {
  const { stackName } = invocation.inputs;
  return withContext(`could not list the resources of stack ${stackName}`, async () => {
    const resources: StackResourceSummary[] = [];
    for await (const page of paginateListStackResources(
      { client: invocation.deps.cloudformation },
      { StackName: stackName },
    ))
      resources.push(...(page.StackResourceSummaries ?? []));
    return resources;
  });
}

export const physicalIds = (resources: readonly StackResourceSummary[], type: string): string[] =>
  resources
    .filter(
      (resource) =>
        resource.ResourceType === type &&
        resource.PhysicalResourceId &&
        resource.ResourceStatus !== 'DELETE_COMPLETE',
    )
    .map((resource) => resource.PhysicalResourceId ?? '');

/** A backup of every table, each available before anything is deleted. */
export async function backUpTables(
  invocation: Invocation,
  tables: readonly string[],
): Promise<Backup[]> {
  const { deps } = invocation;
  const stamp = new Date(deps.clock.now()).toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const backups: Backup[] = [];
  for (const name of tables) {
    const { BackupDetails } = await withContext(
      `could not back up table ${name}; nothing was deleted`,
      () =>
        deps.dynamodb.send(
          new CreateBackupCommand({
            TableName: name,
            BackupName: `${name}-teardown-${stamp}`.slice(0, 255),
          }),
        ),
    );
    const arn = BackupDetails?.BackupArn;
    if (!arn) {
      throw new StateError(
        `could not back up table ${name}: DynamoDB returned no backup ARN; nothing was deleted`,
      );
    }
    await waitForBackup(invocation, arn, name);
    deps.io.info(`Backed up ${name} (stack ${invocation.inputs.stackName}): ${arn}`);
    backups.push({ table: name, arn });
  }
  return backups;
}

/** Hand-written: DynamoDB has no waiter for backups. Ends at the run's deadline (timeout-minutes). */
async function waitForBackup(
  invocation: Invocation,
  arn: string,
  tableName: string,
): Promise<void> {
  const { deps } = invocation;
  for (;;) {
    const { BackupDescription } = await withContext(
      `could not check the backup of ${tableName}`,
      () => deps.dynamodb.send(new DescribeBackupCommand({ BackupArn: arn })),
    );
    const status = BackupDescription?.BackupDetails?.BackupStatus;
    if (status === 'AVAILABLE') return;
    if (status === 'DELETED')
      throw new StateError(
        `The backup of ${tableName} was deleted before it became available; nothing was deleted.`,
      );
    if (deps.clock.now() >= invocation.deadline)
      throw new StateError(
        `The backup of ${tableName} is still ${status ?? 'being made'} after ${invocation.inputs.timeoutMinutes} minute(s) (timeout-minutes); nothing was deleted.`,
      );
    await deps.clock.sleep(BACKUP_POLL_MS);
  }
}

export async function liftDeletionProtection(invocation: Invocation, name: string): Promise<void> {
  const { dynamodb, io } = invocation.deps;
  const { Table } = await withContext(`could not describe table ${name}`, () =>
    dynamodb.send(new DescribeTableCommand({ TableName: name })),
  );
  if (!Table?.DeletionProtectionEnabled) return;
  await withContext(`could not lift the deletion protection of table ${name}`, () =>
    dynamodb.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false })),
  );
  io.info(`Lifted the deletion protection of table ${name}.`);
}

/**
 * Deletes every object version and delete marker, a page (≤ 1,000) at a time. Hand-written: the
 * SDK has no paginator for ListObjectVersions, and each page is deleted before the next is read.
 */
export async function emptyBucket(invocation: Invocation, bucket: string): Promise<void> {
  const { s3, io } = invocation.deps;
  let removed = 0;
  for (;;) {
    const page = await withContext(`could not list the objects of bucket ${bucket}`, () =>
      s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: DELETE_OBJECTS_LIMIT })),
    );
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((entry) => ({
      Key: entry.Key ?? '',
      VersionId: entry.VersionId,
    }));
    if (objects.length === 0) break;
    for (let start = 0; start < objects.length; start += DELETE_OBJECTS_LIMIT) {
      const batch = objects.slice(start, start + DELETE_OBJECTS_LIMIT);
      const { Errors = [] } = await withContext(
        `could not delete objects of bucket ${bucket}`,
        () =>
          s3.send(
            new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }),
          ),
      );
      const first = Errors[0];
      if (first)
        throw new StateError(
          `could not empty bucket ${bucket}: ${Errors.length} object(s) refused, e.g. ${first.Key ?? '?'}: ${first.Code ?? ''} ${first.Message ?? ''}`,
        );
      removed += batch.length;
    }
  }
  io.info(`Emptied bucket ${bucket} (${removed} object version(s) and delete marker(s)).`);
}
