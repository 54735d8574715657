import {
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
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { backupDetails, cfn, dynamo, resource, s3 } from './data-harness';

// The teardown of a stack holding one table and one bucket, on data-harness.ts's mocked clients
// and clock. Shared by main.test.ts and main-failures.test.ts (each test file has its own module
// copy).
export { cfn, deps, dynamo, s3 } from './data-harness';

export const stack = (status: string, extra: Partial<Stack> = {}): Stack => ({
  StackName: 'app',
  StackStatus: status as Stack['StackStatus'],
  CreationTime: new Date(0),
  ...extra,
});

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
        resource('AnomalyTable', 'AWS::DynamoDB::Table', 'anomalies'),
        resource('ArtifactBucket', 'AWS::S3::Bucket', 'artifacts'),
      ],
    });
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn.on(DeleteStackCommand).resolves({});
    dynamo.on(CreateBackupCommand).resolves({
      BackupDetails: backupDetails('CREATING').BackupDescription.BackupDetails,
    });
    dynamo
      .on(DescribeBackupCommand)
      .resolvesOnce(backupDetails('CREATING'))
      .resolves(backupDetails('AVAILABLE'));
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
