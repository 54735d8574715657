import {
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateBackupCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand } from '@aws-sdk/client-s3';
import { run } from '../../../actions/teardown/src/main';
import { answerLikeAStackWithData, cfn, deps, dynamo, s3, stack } from './main-harness';

// When the teardown refuses, stops or fails: termination protection, no backup, a bucket that
// will not empty, a failed deletion, bad inputs (when it goes through: main.test.ts).
answerLikeAStackWithData();

describe('teardown', () => {
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
