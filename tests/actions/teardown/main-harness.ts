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
import type { TeardownDeps } from '../../../actions/teardown/src/main';
import { fakeIO } from '../../support/fake-io';

// The teardown of a stack holding one table and one bucket, with the AWS clients mocked and a
// clock that moves only when the action sleeps. Shared by main.test.ts and main-failures.test.ts
// (each test file has its own module copy).
export const cfn = mockClient(CloudFormationClient);
export const dynamo = mockClient(DynamoDBClient);
export const s3 = mockClient(S3Client);

export const stack = (status: string, extra: Partial<Stack> = {}): Stack => ({
  StackName: 'app',
  StackStatus: status as Stack['StackStatus'],
  CreationTime: new Date(0),
  ...extra,
});

export function deps(inputs: Record<string, string> = {}) {
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

/**
 * Before each test: a stack `app` with table `anomalies` and bucket `artifacts`, there once and
 * then deleted, and AWS answering every backup, table and bucket call with success.
 */
export function answerLikeAStackWithData(): void {
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
}
