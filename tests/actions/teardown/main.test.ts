import { DeleteStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateBackupCommand,
  DescribeBackupCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand } from '@aws-sdk/client-s3';
import { run } from '../../../actions/teardown/src/main';
import { answerLikeAStackWithData, cfn, deps, dynamo, s3, stack } from './main-harness';

// A teardown that goes through: the backup waited for as long as timeout-minutes allows, the
// bucket emptied, the stack deleted (when it refuses, stops or fails: main-failures.test.ts).
answerLikeAStackWithData();

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

  it('warns and takes no backup with backup: false', async () => {
    const { io, value } = deps({ backup: 'false' });
    await run(value);
    expect(dynamo.commandCalls(CreateBackupCommand)).toHaveLength(0);
    expect(io.annotations[0]?.message).toMatch(/backup is false/);
    expect(io.outputs['backup-arn']).toBe('');
  });
});
