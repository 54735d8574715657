import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
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

// The teardown as a workflow runs it, with the AWS clients mocked and a clock that moves only
// when the action sleeps: what it asks AWS for, what it logs, its outputs and its summary.
// Shared by data.test.ts, data-failures.test.ts, stack-states.test.ts and main-harness.ts (each
// test file has its own module copy).
export const cfn = mockClient(CloudFormationClient);
export const dynamo = mockClient(DynamoDBClient);
export const s3 = mockClient(S3Client);

export const START = Date.UTC(2026, 10, 27, 9, 5, 7, 250);

export function deps(inputs: Record<string, string> = {}) {
  let now = START;
  const io = fakeIO({ 'stack-name': 'app', confirm: 'app', ...inputs });
  const value: TeardownDeps = {
    io,
    cloudformation: new CloudFormationClient({ region: 'us-east-1' }),
    dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    clock: { now: () => now, sleep: (ms) => ((now += ms), Promise.resolve()) },
  };
  return { io, value, elapsed: () => now - START };
}

export const resource = (
  logical: string,
  type: string,
  physical: string | undefined,
  status = 'CREATE_COMPLETE',
): StackResourceSummary => ({
  LogicalResourceId: logical,
  ResourceType: type,
  PhysicalResourceId: physical,
  ResourceStatus: status as StackResourceSummary['ResourceStatus'],
  LastUpdatedTimestamp: new Date(0),
});

export const backupDetails = (status: string | undefined) => ({
  BackupDescription: {
    BackupDetails: {
      BackupArn: 'arn:backup/1',
      BackupName: 'b',
      BackupStatus: status as 'AVAILABLE',
      BackupCreationDateTime: new Date(0),
      BackupType: 'USER' as const,
    },
  },
});

/**
 * Before each test: a stack `app` that is there once and then gone, with no resources, and AWS
 * answering every backup, table and bucket call with success. Tests override what they need.
 */
export function answerLikeAHealthyAccount(): void {
  beforeEach(() => {
    cfn.reset();
    dynamo.reset();
    s3.reset();
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({
        Stacks: [{ StackName: 'app', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(0) }],
      })
      .resolves({ Stacks: [] });
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn.on(DeleteStackCommand).resolves({});
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
    dynamo.on(CreateBackupCommand).callsFake((input: { TableName: string }) => ({
      BackupDetails: {
        BackupArn: `arn:backup/${input.TableName}`,
        BackupName: 'b',
        BackupStatus: 'CREATING',
        BackupCreationDateTime: new Date(0),
        BackupType: 'USER',
      },
    }));
    dynamo.on(DescribeBackupCommand).resolves(backupDetails('AVAILABLE'));
    dynamo.on(DescribeTableCommand).resolves({ Table: { DeletionProtectionEnabled: false } });
    dynamo.on(UpdateTableCommand).resolves({});
    s3.on(ListObjectVersionsCommand).resolves({});
    s3.on(DeleteObjectsCommand).resolves({});
  });
}
