import { DeleteStackCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateBackupCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { run } from '../../../actions/teardown/src/main';
import { START, answerLikeAHealthyAccount, cfn, deps, dynamo, resource, s3 } from './data-harness';

// What the teardown keeps and empties when every step works (when one fails:
// data-failures.test.ts).
answerLikeAHealthyAccount();

describe('teardown of a stack with data', () => {
  it('keeps every live table of every page, empties every live bucket, deletes under its own token and reports it all', async () => {
    // Prepare: two pages of resources, with ones that are gone or have no physical id.
    cfn
      .on(ListStackResourcesCommand)
      .resolvesOnce({
        StackResourceSummaries: [
          resource('Readings', 'AWS::DynamoDB::Table', 'readings'),
          resource('Old', 'AWS::DynamoDB::Table', 'old', 'DELETE_COMPLETE'),
          resource('Pending', 'AWS::DynamoDB::Table', undefined),
          resource('Fn', 'AWS::Lambda::Function', 'fn'),
        ],
        NextToken: 'more',
      })
      .resolves({
        StackResourceSummaries: [
          resource('Devices', 'AWS::DynamoDB::Table', 'devices'),
          resource('Site', 'AWS::S3::Bucket', 'site'),
        ],
      });
    dynamo
      .on(DescribeTableCommand, { TableName: 'devices' })
      .resolves({ Table: { DeletionProtectionEnabled: true } });
    const { io, value } = deps();

    // Act
    await run(value);

    // Assess
    expect(io.failures).toEqual([]);
    const listed = cfn.commandCalls(ListStackResourcesCommand).map((c) => c.args[0].input);
    expect(listed).toHaveLength(2);
    expect(listed[1]).toEqual({ StackName: 'app', NextToken: 'more' });
    expect(dynamo.commandCalls(CreateBackupCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: 'readings', BackupName: 'readings-teardown-20261127T090507' },
      { TableName: 'devices', BackupName: 'devices-teardown-20261127T090507' },
    ]);
    expect(dynamo.commandCalls(DescribeBackupCommand).map((c) => c.args[0].input)).toEqual([
      { BackupArn: 'arn:backup/readings' },
      { BackupArn: 'arn:backup/devices' },
    ]);
    expect(dynamo.commandCalls(UpdateTableCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: 'devices', DeletionProtectionEnabled: false },
    ]);
    expect(s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'site', MaxKeys: 1000 },
    ]);
    expect(cfn.commandCalls(DeleteStackCommand).map((c) => c.args[0].input)).toEqual([
      { StackName: 'app', ClientRequestToken: `teardown-${START.toString(36)}` },
    ]);
    expect(io.logs).toEqual(
      expect.arrayContaining([
        'Backed up readings (stack app): arn:backup/readings',
        'Backed up devices (stack app): arn:backup/devices',
        'Lifted the deletion protection of table devices.',
        'Emptied bucket site (0 object version(s) and delete marker(s)).',
        'Deleting stack app; waiting up to 60 minute(s).',
      ]),
    );
    expect(io.logs).not.toContain('Lifted the deletion protection of table readings.');
    expect(io.outputs).toEqual({
      status: 'DELETE_COMPLETE',
      deleted: 'true',
      'backup-arn': 'arn:backup/readings\narn:backup/devices',
    });
    expect(io.summaryText()).toBe(
      [
        '## ✅ Teardown of app: DELETE_COMPLETE',
        '',
        'Deleted in 0s:',
        '',
        '| Resource | Type | Physical id |',
        '| --- | --- | --- |',
        '| Readings | AWS::DynamoDB::Table | readings |',
        '| Old | AWS::DynamoDB::Table | old |',
        '| Pending | AWS::DynamoDB::Table |  |',
        '| Fn | AWS::Lambda::Function | fn |',
        '| Devices | AWS::DynamoDB::Table | devices |',
        '| Site | AWS::S3::Bucket | site |',
        '',
        '### Kept',
        '',
        '| Table | Backup ARN |',
        '| --- | --- |',
        '| readings | arn:backup/readings |',
        '| devices | arn:backup/devices |',
        '',
        'Restore with `aws dynamodb restore-table-from-backup --target-table-name <name> --backup-arn <arn>` (see the README).',
        '',
      ].join('\n'),
    );
  });

  it('cuts the backup name of a table with a long name to 255 characters', async () => {
    const long = 't'.repeat(250);
    cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [resource('T', 'AWS::DynamoDB::Table', long)],
    });
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(dynamo.commandCalls(CreateBackupCommand)[0]!.args[0].input.BackupName).toBe(
      `${long}-teardown-20261127T090507`.slice(0, 255),
    );
  });

  it('empties a bucket page by page, a thousand objects a request, versions and delete markers alike', async () => {
    // Prepare: a first listing of 1,500 versions and 500 markers (exactly two requests' worth).
    const versions = Array.from({ length: 1500 }, (_, i) => ({ Key: `k${i}`, VersionId: `v${i}` }));
    const markers = Array.from({ length: 498 }, (_, i) => ({ Key: `m${i}`, VersionId: `d${i}` }));
    cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [resource('B', 'AWS::S3::Bucket', 'bucket')],
    });
    s3.on(ListObjectVersionsCommand)
      .resolvesOnce({
        Versions: versions,
        DeleteMarkers: [...markers, { Key: 'm', VersionId: 'd1' }, {}],
      })
      .resolvesOnce({ DeleteMarkers: [{ Key: 'last', VersionId: 'd2' }] })
      .resolves({ Versions: [], DeleteMarkers: [] });
    const { io, value } = deps();

    // Act
    await run(value);

    // Assess
    expect(io.failures).toEqual([]);
    const requests = s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input);
    expect(requests.map((r) => [r.Bucket, r.Delete?.Quiet, r.Delete?.Objects?.length])).toEqual([
      ['bucket', true, 1000],
      ['bucket', true, 1000],
      ['bucket', true, 1],
    ]);
    expect(requests[1]!.Delete?.Objects?.slice(-3)).toEqual([
      { Key: 'm497', VersionId: 'd497' },
      { Key: 'm', VersionId: 'd1' },
      { Key: '', VersionId: undefined },
    ]);
    expect(requests[2]!.Delete?.Objects).toEqual([{ Key: 'last', VersionId: 'd2' }]);
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(3);
    expect(io.logs).toContain(
      'Emptied bucket bucket (2001 object version(s) and delete marker(s)).',
    );
  });

  it('with backup false warns naming the tables whose data goes, and reports no backup', async () => {
    cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [
        resource('Readings', 'AWS::DynamoDB::Table', 'readings'),
        resource('Devices', 'AWS::DynamoDB::Table', 'devices'),
      ],
    });
    const { io, value } = deps({ backup: 'false' });
    await run(value);
    expect(io.annotations).toEqual([
      {
        level: 'warning',
        message:
          'backup is false: the data of readings, devices is deleted with the stack, without a backup.',
        properties: undefined,
      },
    ]);
    expect(io.summaryText()).toMatch(/\n_No backup was taken._\n$/);
  });

  it('with backup false and no table warns about no table, and reports a stack with no resources', async () => {
    const { io, value } = deps({ backup: 'false' });
    await run(value);
    expect(io.annotations.map((a) => a.message)).toEqual([
      'backup is false: the data of no table is deleted with the stack, without a backup.',
    ]);
    expect(io.summaryText()).toBe(
      [
        '## ✅ Teardown of app: DELETE_COMPLETE',
        '',
        'Deleted in 0s:',
        '',
        '_The stack held no resources._',
        '',
        '_No backup was taken._',
        '',
      ].join('\n'),
    );
  });

  it('takes no backup and says nothing about it when backup is true and there is no table', async () => {
    const { io, value } = deps();
    await run(value);
    expect(io.annotations).toEqual([]);
    expect(io.logs).toEqual(
      expect.arrayContaining([
        'group: Back up the tables',
        'group: Release the tables and empty the buckets',
      ]),
    );
  });
});
