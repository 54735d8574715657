import { DeleteStackCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateBackupCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { run } from '../../../actions/teardown/src/main';
import {
  answerLikeAHealthyAccount,
  backupDetails,
  cfn,
  deps,
  dynamo,
  resource,
  s3,
} from './data-harness';

// When a step of keeping or emptying the data fails, the teardown stops there and deletes
// nothing after it (what it keeps and empties when every step works: data.test.ts).
answerLikeAHealthyAccount();

describe('teardown of a stack with data, when a step fails', () => {
  it('names a refused object without a key or code as it can', async () => {
    cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [resource('B', 'AWS::S3::Bucket', 'bucket')],
    });
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: 'a', VersionId: '1' }] });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{}, {}] });
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual(['could not empty bucket bucket: 2 object(s) refused, e.g. ?:  ']);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it.each([
    [
      DescribeBackupCommand,
      'could not check the backup of readings: ThrottlingException: slow down',
    ],
    [
      ListStackResourcesCommand,
      'could not list the resources of stack app: ThrottlingException: slow down',
    ],
    [DescribeTableCommand, 'could not describe table readings: ThrottlingException: slow down'],
    [
      UpdateTableCommand,
      'could not lift the deletion protection of table readings: ThrottlingException: slow down',
    ],
    [
      ListObjectVersionsCommand,
      'could not list the objects of bucket site: ThrottlingException: slow down',
    ],
    [
      DeleteObjectsCommand,
      'could not delete objects of bucket site: ThrottlingException: slow down',
    ],
    [DeleteStackCommand, 'could not delete stack app: ThrottlingException: slow down'],
  ])(
    'fails with context when %p is refused, deleting nothing after it',
    async (command, message) => {
      // Prepare
      cfn.on(ListStackResourcesCommand).resolves({
        StackResourceSummaries: [
          resource('Readings', 'AWS::DynamoDB::Table', 'readings'),
          resource('Site', 'AWS::S3::Bucket', 'site'),
        ],
      });
      dynamo.on(DescribeTableCommand).resolves({ Table: { DeletionProtectionEnabled: true } });
      s3.on(ListObjectVersionsCommand)
        .resolvesOnce({ Versions: [{ Key: 'a', VersionId: '1' }] })
        .resolves({});
      const error = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
      const mocks = [cfn, dynamo, s3] as unknown as {
        on: (c: unknown) => { rejects: (e: Error) => void };
      }[];
      for (const mock of mocks) mock.on(command).rejects(error);
      const { io, value } = deps();

      // Act
      await run(value);

      // Assess
      expect(io.failures).toEqual([message]);
      expect(io.outputs).toEqual({});
    },
  );

  it('stops when DynamoDB gives no backup ARN, deleting nothing', async () => {
    cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [resource('Readings', 'AWS::DynamoDB::Table', 'readings')],
    });
    dynamo.on(CreateBackupCommand).resolves({});
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([
      'could not back up table readings: DynamoDB returned no backup ARN; nothing was deleted',
    ]);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('stops when the backup is deleted before it is available, deleting nothing', async () => {
    cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [resource('Readings', 'AWS::DynamoDB::Table', 'readings')],
    });
    dynamo.on(DescribeBackupCommand).resolves(backupDetails('DELETED'));
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([
      'The backup of readings was deleted before it became available; nothing was deleted.',
    ]);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('waits for a backup with no status yet, polling every 5 s until timeout-minutes', async () => {
    cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [resource('Readings', 'AWS::DynamoDB::Table', 'readings')],
    });
    dynamo.on(DescribeBackupCommand).resolves({});
    const { io, value, elapsed } = deps({ 'timeout-minutes': '1' });
    await run(value);
    expect(io.failures).toEqual([
      'The backup of readings is still being made after 1 minute(s) (timeout-minutes); nothing was deleted.',
    ]);
    expect(elapsed()).toBe(60_000);
    expect(dynamo.commandCalls(DescribeBackupCommand)).toHaveLength(13);
  });
});
