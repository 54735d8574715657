import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import {
  CreateBackupCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { run, type TeardownDeps } from '../../../actions/teardown/src/main';
import { fakeIO } from '../../support/fake-io';

const cfn = mockClient(CloudFormationClient);
const dynamo = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);

const stack = (status: string, extra: Partial<Stack> = {}): Stack => ({
  StackName: 'app',
  StackStatus: status as Stack['StackStatus'],
  CreationTime: new Date(0),
  ...extra,
});

function deps(inputs: Record<string, string> = {}) {
  let now = 1_000_000;
  const io = fakeIO({ 'stack-name': 'app', confirm: 'app', ...inputs });
  const value: TeardownDeps = {
    io,
    cloudformation: new CloudFormationClient({ region: 'us-east-1' }),
    dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    clock: { now: () => now, sleep: (ms) => ((now += ms), Promise.resolve()) },
  };
  return { io, value };
}

beforeEach(() => {
  cfn.reset();
  dynamo.reset();
  s3.reset();
  cfn
    .on(DescribeStacksCommand)
    .resolvesOnce({ Stacks: [stack('UPDATE_COMPLETE')] })
    .resolves({ Stacks: [stack('DELETE_COMPLETE')] });
  cfn.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [
      {
        LogicalResourceId: 'AnomalyTable',
        ResourceType: 'AWS::DynamoDB::Table',
        PhysicalResourceId: 'anomalies',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: new Date(0),
      },
      {
        LogicalResourceId: 'ArtifactBucket',
        ResourceType: 'AWS::S3::Bucket',
        PhysicalResourceId: 'artifacts',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: new Date(0),
      },
    ],
  });
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  cfn.on(DeleteStackCommand).resolves({});
  dynamo.on(CreateBackupCommand).resolves({
    BackupDetails: {
      BackupArn: 'arn:backup/1',
      BackupName: 'b',
      BackupStatus: 'CREATING',
      BackupCreationDateTime: new Date(0),
      BackupType: 'USER',
    },
  });
  dynamo
    .on(DescribeBackupCommand)
    .resolvesOnce({
      BackupDescription: {
        BackupDetails: {
          BackupArn: 'arn:backup/1',
          BackupName: 'b',
          BackupStatus: 'CREATING',
          BackupCreationDateTime: new Date(0),
          BackupType: 'USER',
        },
      },
    })
    .resolves({
      BackupDescription: {
        BackupDetails: {
          BackupArn: 'arn:backup/1',
          BackupName: 'b',
          BackupStatus: 'AVAILABLE',
          BackupCreationDateTime: new Date(0),
          BackupType: 'USER',
        },
      },
    });
  dynamo.on(DescribeTableCommand).resolves({ Table: { DeletionProtectionEnabled: true } });
  dynamo.on(UpdateTableCommand).resolves({});
  s3.on(ListObjectVersionsCommand)
    .resolvesOnce({
      Versions: [
        { Key: 'a', VersionId: '1' },
        { Key: 'a', VersionId: '2' },
      ],
      DeleteMarkers: [{ Key: 'b', VersionId: '3' }],
    })
    .resolves({});
  s3.on(DeleteObjectsCommand).resolves({ Errors: [] });
});

describe('teardown', () => {
  it('backs up (waiting for the backup), lifts protection, empties the bucket, then deletes the stack', async () => {
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs).toEqual({
      status: 'DELETE_COMPLETE',
      deleted: 'true',
      'backup-arn': 'arn:backup/1',
    });
    expect(dynamo.commandCalls(DescribeBackupCommand)).toHaveLength(2);
    expect(dynamo.commandCalls(UpdateTableCommand)[0]?.args[0].input).toEqual({
      TableName: 'anomalies',
      DeletionProtectionEnabled: false,
    });
    expect(s3.commandCalls(DeleteObjectsCommand)[0]?.args[0].input.Delete?.Objects).toEqual([
      { Key: 'a', VersionId: '1' },
      { Key: 'a', VersionId: '2' },
      { Key: 'b', VersionId: '3' },
    ]);
  });

  it('refuses a stack with termination protection, saying how to lift it, touching nothing', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [stack('UPDATE_COMPLETE', { EnableTerminationProtection: true })] });
    const { io, value } = deps();
    await run(value);
    expect(io.failures[0]).toMatch(
      /has termination protection.*update-termination-protection --no-enable-termination-protection --stack-name app.*Nothing was touched/,
    );
    expect(dynamo.calls()).toHaveLength(0);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('deletes nothing when a backup cannot be taken', async () => {
    dynamo.on(CreateBackupCommand).rejects(
      Object.assign(new Error('Backups are being enabled'), {
        name: 'ContinuousBackupsUnavailableException',
      }),
    );
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([
      'could not back up table anomalies; nothing was deleted: ContinuousBackupsUnavailableException: Backups are being enabled',
    ]);
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('reports each resource that could not go when the deletion fails', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_COMPLETE')] })
      .resolves({ Stacks: [stack('DELETE_FAILED')] });
    cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        {
          EventId: '9',
          StackId: 's',
          StackName: 'app',
          LogicalResourceId: 'Vpc',
          ResourceType: 'AWS::EC2::VPC',
          ResourceStatus: 'DELETE_FAILED',
          ResourceStatusReason: 'has dependencies',
          Timestamp: new Date(2_000_000_000_000),
        },
      ],
    });
    const { io, value } = deps();
    await run(value);
    expect(io.failures[0]).toMatch(
      /^Stack app is DELETE_FAILED: 1 resource\(s\) could not be deleted/,
    );
    expect(io.annotations).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'Vpc (AWS::EC2::VPC) could not be deleted: has dependencies',
      }),
    );
    expect(io.outputs).toMatchObject({ deleted: 'false', 'backup-arn': 'arn:backup/1' });
  });

  it('stops when the bucket refuses to be emptied', async () => {
    s3.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: 'a', Code: 'AccessDenied', Message: 'denied' }],
    });
    const { io, value } = deps();
    await run(value);
    expect(io.failures[0]).toBe(
      'could not empty bucket artifacts: 1 object(s) refused, e.g. a: AccessDenied denied',
    );
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('warns and takes no backup with backup: false', async () => {
    const { io, value } = deps({ backup: 'false' });
    await run(value);
    expect(dynamo.commandCalls(CreateBackupCommand)).toHaveLength(0);
    expect(io.annotations[0]?.message).toMatch(/backup is false/);
    expect(io.outputs['backup-arn']).toBe('');
  });

  it('rejects a stack name that cannot be one, before any AWS call', async () => {
    const { io, value } = deps({ 'stack-name': '1bad', confirm: '1bad' });
    await run(value);
    expect(io.failures[0]).toContain('Input "stack-name": "1bad" is not a stack name');
    expect(cfn.calls()).toHaveLength(0);
  });
});
