import {
  DeleteStackCommand,
  ListStackResourcesCommand,
  type CloudFormationClient,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import {
  CreateBackupCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  describeStack,
  eventLine,
  isSettled,
  waitForStack,
  waitUntilSettled,
} from '../../shared/cloudformation';
import { ConfigurationError, withContext } from '../../shared/errors';
import type { ActionIO } from '../../shared/io';
import { runAction } from '../../shared/run';
import { table } from '../../shared/summary';
import { formatDuration, type Clock } from '../../shared/wait';
import { getInputs, type TeardownInputs } from './inputs';

export interface TeardownDeps {
  readonly io: ActionIO;
  readonly cloudformation: CloudFormationClient;
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly clock: Clock;
}

interface Backup {
  readonly table: string;
  readonly arn: string;
}

const DELETE_OBJECTS_LIMIT = 1000;

export function run(deps: TeardownDeps): Promise<void> {
  return runAction(deps.io, () => teardown(deps));
}

async function teardown(deps: TeardownDeps): Promise<void> {
  const { io, cloudformation, clock } = deps;
  const inputs = getInputs(io);
  const started = clock.now();
  const deadline = started + inputs.timeoutMinutes * 60_000;

  let stack = await withContext(`could not describe stack ${inputs.stackName}`, () =>
    describeStack(cloudformation, inputs.stackName),
  );
  if (!stack) {
    io.info(`Stack ${inputs.stackName} does not exist: nothing to delete.`);
    setOutputs(io, 'NOT_FOUND', false, []);
    await io.summary
      .addRaw(
        `## ✅ Teardown of ${inputs.stackName}: nothing to delete\n\nThe stack does not exist.\n`,
      )
      .write();
    return;
  }
  if (stack.EnableTerminationProtection) {
    throw new ConfigurationError(
      `Stack ${inputs.stackName} has termination protection. If you really mean to delete it, lift it first: aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name ${inputs.stackName} (and set the repository variable TERMINATION_PROTECTION to false, or the next deploy turns it on again). Nothing was touched.`,
    );
  }
  if (!isSettled(stack.StackStatus)) {
    stack = await waitUntilSettled(
      cloudformation,
      stack,
      clock,
      deadline,
      (line) => {
        io.info(line);
      },
      'nothing was deleted.',
    );
  }

  const resources = await stackResources(deps, inputs.stackName);
  const tables = physicalIds(resources, 'AWS::DynamoDB::Table');
  const buckets = physicalIds(resources, 'AWS::S3::Bucket');
  const backups = inputs.backup
    ? await io.group('Back up the tables', () => backUpTables(deps, tables, inputs.stackName))
    : [];
  if (!inputs.backup)
    io.warning(
      `backup is false: the data of ${tables.join(', ') || 'no table'} is deleted with the stack, without a backup.`,
    );
  await io.group('Release the tables and empty the buckets', async () => {
    for (const name of tables) await liftDeletionProtection(deps, name);
    for (const bucket of buckets) await emptyBucket(deps, bucket);
  });

  const deleteFrom = new Date(clock.now() - 1000);
  await withContext(`could not delete stack ${inputs.stackName}`, () =>
    cloudformation.send(new DeleteStackCommand({ StackName: inputs.stackName })),
  );
  io.info(`Deleting stack ${inputs.stackName}; waiting up to ${inputs.timeoutMinutes} minute(s).`);
  const result = await io.group('Stack events', () =>
    waitForStack(cloudformation, inputs.stackName, deleteFrom, clock, deadline, (event) => {
      io.info(eventLine(event, started));
    }),
  );
  if (result.timedOut)
    throw new ConfigurationError(
      `Stack ${inputs.stackName} is still ${result.stack?.StackStatus ?? 'deleting'} after ${inputs.timeoutMinutes} minute(s); CloudFormation goes on.`,
    );
  if (result.stack && result.stack.StackStatus !== 'DELETE_COMPLETE') {
    const failed = result.events.filter(
      (event) =>
        event.ResourceStatus === 'DELETE_FAILED' && event.LogicalResourceId !== inputs.stackName,
    );
    for (const event of failed) {
      io.error(
        `${event.LogicalResourceId ?? '?'} (${event.ResourceType ?? '?'}) could not be deleted: ${event.ResourceStatusReason ?? 'no reason given'}`,
        { title: 'CloudFormation could not delete a resource' },
      );
    }
    setOutputs(io, result.stack.StackStatus ?? 'DELETE_FAILED', false, backups);
    await io.summary
      .addRaw(
        [
          `## ❌ Teardown of ${inputs.stackName}: ${result.stack.StackStatus ?? 'DELETE_FAILED'}`,
          '',
          table(
            ['Resource', 'Type', 'Reason'],
            failed.map((event) => [
              event.LogicalResourceId,
              event.ResourceType,
              event.ResourceStatusReason,
            ]),
          ),
          '',
          keptMarkdown(backups),
        ].join('\n'),
      )
      .write();
    io.setFailed(
      `Stack ${inputs.stackName} is ${result.stack.StackStatus ?? 'DELETE_FAILED'}: ${failed.length} resource(s) could not be deleted; see the annotations. Fix them and run the teardown again.`,
    );
    return;
  }
  setOutputs(io, 'DELETE_COMPLETE', true, backups);
  await io.summary
    .addRaw(deletedMarkdown(inputs, resources, backups, formatDuration(clock.now() - started)))
    .write();
}

async function stackResources(
  deps: TeardownDeps,
  stackName: string,
): Promise<StackResourceSummary[]> {
  const resources: StackResourceSummary[] = [];
  let token: string | undefined;
  do {
    const page = await withContext(`could not list the resources of stack ${stackName}`, () =>
      deps.cloudformation.send(
        new ListStackResourcesCommand({ StackName: stackName, NextToken: token }),
      ),
    );
    resources.push(...(page.StackResourceSummaries ?? []));
    token = page.NextToken;
  } while (token);
  return resources;
}

const physicalIds = (resources: readonly StackResourceSummary[], type: string): string[] =>
  resources
    .filter(
      (resource) =>
        resource.ResourceType === type &&
        resource.PhysicalResourceId &&
        resource.ResourceStatus !== 'DELETE_COMPLETE',
    )
    .map((resource) => resource.PhysicalResourceId ?? '');

/** A backup of every table, each available before anything is deleted. */
async function backUpTables(
  deps: TeardownDeps,
  tables: readonly string[],
  stackName: string,
): Promise<Backup[]> {
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
    if (!arn) throw new Error(`DynamoDB returned no backup ARN for table ${name}`);
    await waitForBackup(deps, arn, name);
    deps.io.info(`Backed up ${name} (stack ${stackName}): ${arn}`);
    backups.push({ table: name, arn });
  }
  return backups;
}

async function waitForBackup(deps: TeardownDeps, arn: string, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const { BackupDescription } = await withContext(
      `could not check the backup of ${tableName}`,
      () => deps.dynamodb.send(new DescribeBackupCommand({ BackupArn: arn })),
    );
    const status = BackupDescription?.BackupDetails?.BackupStatus;
    if (status === 'AVAILABLE') return;
    if (status === 'DELETED')
      throw new ConfigurationError(
        `The backup of ${tableName} was deleted before it became available; nothing was deleted.`,
      );
    await deps.clock.sleep(5000);
  }
  throw new ConfigurationError(
    `The backup of ${tableName} is not available after 5 minutes; nothing was deleted.`,
  );
}

async function liftDeletionProtection(deps: TeardownDeps, name: string): Promise<void> {
  const { Table } = await withContext(`could not describe table ${name}`, () =>
    deps.dynamodb.send(new DescribeTableCommand({ TableName: name })),
  );
  if (!Table?.DeletionProtectionEnabled) return;
  await withContext(`could not lift the deletion protection of table ${name}`, () =>
    deps.dynamodb.send(
      new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }),
    ),
  );
  deps.io.info(`Lifted the deletion protection of table ${name}.`);
}

/** Deletes every object version and delete marker, a page (≤ 1,000) at a time. */
async function emptyBucket(deps: TeardownDeps, bucket: string): Promise<void> {
  let removed = 0;
  for (;;) {
    const page = await withContext(`could not list the objects of bucket ${bucket}`, () =>
      deps.s3.send(
        new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: DELETE_OBJECTS_LIMIT }),
      ),
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
          deps.s3.send(
            new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }),
          ),
      );
      if (Errors.length > 0) {
        const first = Errors[0];
        throw new ConfigurationError(
          `could not empty bucket ${bucket}: ${Errors.length} object(s) refused, e.g. ${first?.Key ?? '?'}: ${first?.Code ?? ''} ${first?.Message ?? ''}`,
        );
      }
      removed += batch.length;
    }
  }
  deps.io.info(`Emptied bucket ${bucket} (${removed} object version(s) and delete marker(s)).`);
}

function setOutputs(
  io: ActionIO,
  status: string,
  deleted: boolean,
  backups: readonly Backup[],
): void {
  io.setOutput('status', status);
  io.setOutput('deleted', String(deleted));
  io.setOutput('backup-arn', backups.map((backup) => backup.arn).join('\n'));
}

function keptMarkdown(backups: readonly Backup[]): string {
  if (backups.length === 0) return '';
  return [
    '### Kept',
    '',
    table(
      ['Table', 'Backup ARN'],
      backups.map((backup) => [backup.table, backup.arn]),
    ),
    '',
    'Restore with `aws dynamodb restore-table-from-backup --target-table-name <name> --backup-arn <arn>` (see the README).',
  ].join('\n');
}

function deletedMarkdown(
  inputs: TeardownInputs,
  resources: readonly StackResourceSummary[],
  backups: readonly Backup[],
  took: string,
): string {
  return [
    `## ✅ Teardown of ${inputs.stackName}: DELETE_COMPLETE`,
    '',
    `Deleted in ${took}:`,
    '',
    table(
      ['Resource', 'Type', 'Physical id'],
      resources.map((resource) => [
        resource.LogicalResourceId,
        resource.ResourceType,
        resource.PhysicalResourceId,
      ]),
    ),
    '',
    backups.length ? keptMarkdown(backups) : '_No backup was taken (backup: false)._',
    '',
  ].join('\n');
}
