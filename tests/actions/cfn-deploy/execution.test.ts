import {
  CreateChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-deploy/src/main';
import { cfn, deps, executionEvent, stack, stackMissing, useCfnDeployFixtures } from './fixtures';

useCfnDeployFixtures();

describe('cfn-deploy executing a change set', () => {
  it("reports the execution's failed resources by its ClientRequestToken, whatever the runner's clock says", async () => {
    // Prepare: the runner's clock is a day ahead of CloudFormation's.
    const day = 86_400_000;
    const awsNow = 2_000_000_000_000;
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_COMPLETE')] })
      .resolves({ Stacks: [stack('UPDATE_ROLLBACK_COMPLETE')] });
    cfn.on(DescribeStackEventsCommand).callsFake(() => ({
      StackEvents: [
        executionEvent({
          EventId: '2',
          LogicalResourceId: 'Queue',
          ResourceType: 'AWS::SQS::Queue',
          ResourceStatus: 'UPDATE_FAILED',
          ResourceStatusReason: 'Queue name taken',
          Timestamp: new Date(awsNow),
        })(),
        {
          EventId: '1',
          StackId: 'arn:stack/app/1',
          StackName: 'app',
          LogicalResourceId: 'Topic',
          ResourceType: 'AWS::SNS::Topic',
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'an earlier deployment',
          ClientRequestToken: 'an-earlier-run',
          Timestamp: new Date(awsNow - day),
        },
      ],
    }));
    const { io, value } = deps({}, { clockStart: awsNow + day });

    // Act
    await run(value);

    // Assess
    expect(io.failures[0]).toMatch(
      /^Stack app failed: UPDATE_ROLLBACK_COMPLETE\. 1 resource\(s\) failed/,
    );
    expect(io.annotations).toEqual([
      {
        level: 'error',
        message: 'Queue (AWS::SQS::Queue) UPDATE_FAILED: Queue name taken',
        properties: {
          title: 'CloudFormation could not deploy Queue',
          file: 'template.json',
          startLine: 4,
        },
      },
    ]);
    expect(io.summaryText()).toContain(
      '| Queue | AWS::SQS::Queue | UPDATE_FAILED | Queue name taken |',
    );
    expect(io.summaryText()).not.toContain('an earlier deployment');
  });

  it('fails at the timeout while the stack is still changing, saying so', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_COMPLETE')] })
      .resolves({ Stacks: [stack('UPDATE_IN_PROGRESS')] });
    const { io, value } = deps({ 'timeout-minutes': '1' });
    await run(value);
    expect(io.failures[0]).toMatch(
      /^Stack app is still UPDATE_IN_PROGRESS after 1 minute\(s\) \(timeout-minutes\)/,
    );
  });

  it('streams stack events while it waits', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_COMPLETE')] })
      .resolvesOnce({ Stacks: [stack('UPDATE_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(DescribeStackEventsCommand).callsFake(() => ({
      StackEvents: [
        executionEvent({
          LogicalResourceId: 'Queue',
          ResourceType: 'AWS::SQS::Queue',
          ResourceStatus: 'UPDATE_IN_PROGRESS',
        })(),
      ],
    }));
    const { io, value } = deps({});
    await run(value);
    expect(io.logs.some((line) => /Queue AWS::SQS::Queue UPDATE_IN_PROGRESS/.test(line))).toBe(
      true,
    );
  });

  it('enables termination protection after creating the stack', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(stackMissing())
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    const { io, value } = deps({ 'termination-protection': 'true' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(cfn.commandCalls(UpdateTerminationProtectionCommand)[0]?.args[0].input).toEqual({
      StackName: 'app',
      EnableTerminationProtection: true,
    });
  });

  it('tags the stack with the user tags only, and names the commit and run in the change set description', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const { value } = deps({ tags: 'team=health' });
    await run(value);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input).toMatchObject({
      Tags: [{ Key: 'team', Value: 'health' }],
      Description: 'o/r@abcdef123456 https://github.com/o/r/actions/runs/1',
    });
  });

  it('creates with on-failure and notification-arns as given', async () => {
    const topic = 'arn:aws:sns:us-east-1:123456789012:stack-events';
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(stackMissing())
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    const { io, value } = deps({ 'on-failure': 'do_nothing', 'notification-arns': topic });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input).toMatchObject({
      ChangeSetType: 'CREATE',
      OnStackFailure: 'DO_NOTHING',
      NotificationARNs: [topic],
    });
  });

  it('executes an update with DisableRollback under disable-rollback (on-failure is for creates)', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const { io, value } = deps({ 'disable-rollback': 'true' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)[0]?.args[0].input.DisableRollback).toBe(true);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.OnStackFailure).toBe(
      undefined,
    );
  });
});
