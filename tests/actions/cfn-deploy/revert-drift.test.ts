import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-deploy/src/main';
import {
  cfn,
  deps,
  driftAwareChangeSet,
  stack,
  stackMissing,
  useCfnDeployFixtures,
} from './fixtures';

useCfnDeployFixtures();

describe('cfn-deploy deployment-mode: REVERT_DRIFT', () => {
  it('creates a drift-aware change set on the deployed template and values, shows what it puts back, and previews without executing', async () => {
    // Prepare
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(DescribeChangeSetCommand).resolves(driftAwareChangeSet());
    const { io, value } = deps({ 'deployment-mode': 'REVERT_DRIFT', execute: 'false' });

    // Act
    await run(value);

    // Assess
    expect(io.failures).toEqual([]);
    const input = cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      StackName: 'app',
      ChangeSetType: 'UPDATE',
      DeploymentMode: 'REVERT_DRIFT',
      UsePreviousTemplate: true,
      Parameters: [{ ParameterKey: 'Size', UsePreviousValue: true }],
    });
    expect(input?.TemplateBody).toBeUndefined();
    expect(io.outputs.status).toBe('PREVIEW');
    expect(io.summaryText()).toContain('| Queue | `/VisibilityTimeout` | `90` → `30` |');
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });

  it('a stack with no drift: a clear failure naming stack and state, nothing executed', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'FAILED',
      ChangeSetId: 'cs-1',
      StatusReason:
        "The submitted information didn't contain changes. Submit different information to create a change set.",
    });
    const { io, value } = deps({ 'deployment-mode': 'REVERT_DRIFT' });

    await run(value);

    expect(io.failures).toEqual([
      "Stack app (UPDATE_COMPLETE) has no drift to revert (CloudFormation: The submitted information didn't contain changes. Submit different information to create a change set.). Nothing was executed.",
    ]);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });

  it('no drift, as CreateChangeSet itself says: the same failure, and no change set to delete', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn
      .on(CreateChangeSetCommand)
      .rejects(
        Object.assign(new Error('No updates are to be performed.'), { name: 'ValidationError' }),
      );
    const { io, value } = deps({ 'deployment-mode': 'REVERT_DRIFT' });

    await run(value);

    expect(io.failures).toEqual([
      'Stack app (UPDATE_COMPLETE) has no drift to revert (CloudFormation: No updates are to be performed.). Nothing was executed.',
    ]);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toEqual([]);
  });

  it('a drift-aware change set CloudFormation refuses: fails with its reason, deleting it', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'FAILED',
      ChangeSetId: 'cs-1',
      StatusReason: 'Resource type AWS::SQS::Queue does not support drift-aware change sets',
    });
    const { io, value } = deps({ 'deployment-mode': 'REVERT_DRIFT' });

    await run(value);

    expect(io.failures).toEqual([
      'Stack app (UPDATE_COMPLETE) could not get a drift-aware change set: Resource type AWS::SQS::Queue does not support drift-aware change sets. Nothing was executed.',
    ]);
    expect(cfn.commandCalls(DeleteChangeSetCommand)[0]?.args[0].input).toEqual({
      ChangeSetName: 'cs-1',
      StackName: 'app',
    });
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
  });

  it('gives up at the timeout while another operation goes on, reverting nothing', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_IN_PROGRESS')] });
    const { io, value } = deps({ 'deployment-mode': 'REVERT_DRIFT', 'timeout-minutes': '1' });

    await run(value);

    expect(io.failures).toEqual([
      'Stack app is still UPDATE_IN_PROGRESS at the timeout (timeout-minutes); no drift was reverted; try again later.',
    ]);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toEqual([]);
  });

  it('a stack that does not exist, or is not in a completed state: refused before any change set', async () => {
    cfn.on(DescribeStacksCommand).rejects(stackMissing());
    const missing = deps({ 'deployment-mode': 'revert_drift' });
    await run(missing.value);
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('ROLLBACK_COMPLETE')] });
    const rolledBack = deps({ 'deployment-mode': 'REVERT_DRIFT' });
    await run(rolledBack.value);

    expect(missing.io.failures).toEqual([
      'Stack app does not exist: deployment-mode REVERT_DRIFT reverts drift on a deployed stack. Nothing was created.',
    ]);
    expect(rolledBack.io.failures).toEqual([
      'Stack app is ROLLBACK_COMPLETE: drift can be reverted only on a stack whose last operation completed. Nothing was executed.',
    ]);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('rejects a deployment-mode it does not know, before any AWS call', async () => {
    const { io, value } = deps({ 'deployment-mode': 'REVERT' });

    await run(value);

    expect(io.failures).toEqual([
      'Input "deployment-mode" must be REVERT_DRIFT (or empty for a normal deploy), not "REVERT".',
    ]);
    expect(cfn.calls()).toHaveLength(0);
  });
});
