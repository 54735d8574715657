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
  const start = 1_000_000;
  let now = start;
  const io = fakeIO({ 'stack-name': 'app', confirm: 'app', ...inputs });
  const value: TeardownDeps = {
    io,
    cloudformation: new CloudFormationClient({ region: 'us-east-1' }),
    dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    clock: { now: () => now, sleep: (ms) => ((now += ms), Promise.resolve()) },
  };
  return { io, value, elapsed: () => now - start };
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
    // Prepare: the events of this deletion carry the ClientRequestToken it sent.
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_COMPLETE')] })
      .resolves({ Stacks: [stack('DELETE_FAILED')] });
    cfn.on(DescribeStackEventsCommand).callsFake(() => ({
      StackEvents: [
        {
          EventId: '9',
          StackId: 's',
          StackName: 'app',
          LogicalResourceId: 'Vpc',
          ResourceType: 'AWS::EC2::VPC',
          ResourceStatus: 'DELETE_FAILED',
          ResourceStatusReason: 'has dependencies',
          ClientRequestToken:
            cfn.commandCalls(DeleteStackCommand)[0]?.args[0].input.ClientRequestToken,
          Timestamp: new Date(0),
        },
      ],
    }));
    const { io, value } = deps();

    // Act
    await run(value);

    // Assess
    expect(io.failures[0]).toMatch(
      /^Stack app is DELETE_FAILED: 1 resource\(s\) could not be deleted/,
    );
    expect(io.annotations).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'Vpc (AWS::EC2::VPC) DELETE_FAILED: has dependencies',
        properties: { title: 'CloudFormation could not delete Vpc' },
      }),
    );
    expect(io.summaryText()).toContain(
      '| Vpc | AWS::EC2::VPC | DELETE_FAILED | has dependencies |',
    );
    expect(io.outputs).toMatchObject({ deleted: 'false', 'backup-arn': 'arn:backup/1' });
  });

  it('deletes a stack in REVIEW_IN_PROGRESS at once (it holds no resources), as role-arn', async () => {
    // Prepare
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('REVIEW_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('DELETE_COMPLETE')] });
    const role = 'arn:aws:iam::123456789012:role/cfn-exec';
    const { io, value, elapsed } = deps({ 'role-arn': role });

    // Act
    await run(value);

    // Assess
    expect(io.failures).toEqual([]);
    expect(io.outputs).toMatchObject({ status: 'DELETE_COMPLETE', deleted: 'true' });
    expect(cfn.commandCalls(DeleteStackCommand)[0]?.args[0].input).toMatchObject({
      StackName: 'app',
      RoleARN: role,
    });
    expect(dynamo.calls()).toEqual([]);
    expect(elapsed()).toBeLessThan(60_000);
  });

  it('reports that nothing is left after waiting out a deletion already in progress', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('DELETE_IN_PROGRESS')] })
      .resolvesOnce({ Stacks: [stack('DELETE_IN_PROGRESS')] })
      .rejects(
        Object.assign(new Error('Stack with id app does not exist'), { name: 'ValidationError' }),
      );
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs).toEqual({ status: 'DELETE_COMPLETE', deleted: 'false', 'backup-arn': '' });
    expect(io.summaryText()).toContain('it has finished, and nothing is left');
    expect(cfn.commandCalls(DeleteStackCommand)).toEqual([]);
  });

  it.each([
    ['10', []],
    [
      '2',
      [
        'The backup of anomalies is still CREATING after 2 minute(s) (timeout-minutes); nothing was deleted.',
      ],
    ],
  ])(
    'waits for a 7-minute backup as long as timeout-minutes (%s) allows, and no longer',
    async (timeout, failures) => {
      // Prepare
      const details = {
        BackupArn: 'arn:backup/1',
        BackupName: 'b',
        BackupCreationDateTime: new Date(0),
        BackupType: 'USER' as const,
      };
      const { io, value, elapsed } = deps({ 'timeout-minutes': timeout });
      dynamo.on(DescribeBackupCommand).callsFake(() => ({
        BackupDescription: {
          BackupDetails: {
            ...details,
            BackupStatus: elapsed() >= 7 * 60_000 ? 'AVAILABLE' : 'CREATING',
          },
        },
      }));

      // Act
      await run(value);

      // Assess
      expect(io.failures).toEqual(failures);
      expect(io.outputs.deleted).toBe(failures.length ? undefined : 'true');
      expect(elapsed()).toBeLessThanOrEqual(Number(timeout) * 60_000 + 5_000);
    },
  );

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

  it.each([
    [{ 'stack-name': '1bad', confirm: '1bad' }, 'Input "stack-name": "1bad" is not a stack name'],
    [
      { 'role-arn': 'arn:aws:iam::123:user/me' },
      'Input "role-arn": "arn:aws:iam::123:user/me" is not an IAM role ARN',
    ],
    [{ 'timeout-minutes': '0' }, 'Input "timeout-minutes" must be a whole number from 1 to 360'],
  ])('rejects bad input %j before any AWS call', async (inputs, message) => {
    const { io, value } = deps(inputs);
    await run(value);
    expect(io.failures[0]).toContain(message);
    expect(cfn.calls()).toHaveLength(0);
  });
});
