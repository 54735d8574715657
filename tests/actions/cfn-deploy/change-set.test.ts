import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-deploy/src/main';
import { STACK_ID, cfn, deps, stack, stackMissing, useCfnDeployFixtures } from './fixtures';

useCfnDeployFixtures();

// How a run reads a change set CloudFormation is computing, and what it says when a call fails.

const sdkError = (name: string, message: string) => Object.assign(new Error(message), { name });
const updating = () =>
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
const describedAs = (fields: Record<string, unknown>) =>
  cfn
    .on(DescribeChangeSetCommand)
    // The SDK's waiter gives up on a ValidationError; the description that follows says why.
    .rejectsOnce(sdkError('ValidationError', 'waiter stops here'))
    .resolves({ ChangeSetId: 'cs-1', ChangeSetName: 'gh-abcdef123456-lfls', ...fields });

describe('cfn-deploy change sets', () => {
  it('fails naming the change set and stack when CloudFormation refuses to create it', async () => {
    updating();
    cfn.on(CreateChangeSetCommand).rejects(sdkError('AccessDenied', 'not allowed'));
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([
      'could not create change set gh-abcdef123456-lfls for stack app: AccessDenied: not allowed',
    ]);
  });

  it.each([
    [{ Status: 'FAILED' }, 'no reason given'],
    [{ Status: 'CREATE_PENDING' }, 'change set still CREATE_PENDING at the timeout'],
    [{}, 'change set still pending at the timeout'],
  ])('fails a change set described as %j: %s', async (fields, reason) => {
    updating();
    describedAs(fields);
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([
      `Change set gh-abcdef123456-lfls for stack app failed: ${reason}`,
    ]);
    expect(cfn.commandCalls(DeleteChangeSetCommand)[0]?.args[0].input).toEqual({
      ChangeSetName: 'cs-1',
      StackName: 'app',
    });
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
  });

  it('waits while CloudFormation computes the change set, then executes it', async () => {
    jest.useFakeTimers();
    try {
      updating();
      cfn
        .on(DescribeChangeSetCommand)
        .resolvesOnce({ ChangeSetId: 'cs-1', Status: 'CREATE_PENDING' })
        .resolvesOnce({ ChangeSetId: 'cs-1', Status: 'CREATE_IN_PROGRESS' })
        .resolvesOnce({ ChangeSetId: 'cs-1', Status: 'CREATE_IN_PROGRESS' })
        .resolvesOnce({ ChangeSetId: 'cs-1', Status: 'CREATE_IN_PROGRESS' })
        .resolves({ ChangeSetId: 'cs-1', ChangeSetName: 'gh-x', Status: 'CREATE_COMPLETE' });
      const { io, value } = deps({});
      const done = run(value);
      for (let i = 0; i < 20; i += 1) await jest.advanceTimersByTimeAsync(5000);
      await done;
      expect(io.failures).toEqual([]);
      expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
      for (const call of cfn.commandCalls(DescribeChangeSetCommand))
        expect(call.args[0].input).toEqual({ ChangeSetName: 'cs-1', StackName: 'app' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('waits as long as the run may for a change set that takes a minute to compute', async () => {
    jest.useFakeTimers();
    try {
      updating();
      const ready = Date.now() + 60_000;
      cfn.on(DescribeChangeSetCommand).callsFake(() => ({
        ChangeSetId: 'cs-1',
        ChangeSetName: 'gh-x',
        Status: Date.now() < ready ? 'CREATE_IN_PROGRESS' : 'CREATE_COMPLETE',
      }));
      const { io, value } = deps({});
      const done = run(value);
      for (let i = 0; i < 40; i += 1) await jest.advanceTimersByTimeAsync(5000);
      await done;
      expect(io.failures).toEqual([]);
      expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('reads every page of a long change set, keeping the first page for its name and id', async () => {
    updating();
    const change = (id: string) => ({
      Type: 'Resource' as const,
      ResourceChange: { Action: 'Add' as const, LogicalResourceId: id, ResourceType: 'T' },
    });
    cfn
      .on(DescribeChangeSetCommand)
      .resolvesOnce({
        ChangeSetId: 'cs-1',
        ChangeSetName: 'gh-first',
        StackId: STACK_ID,
        Status: 'CREATE_COMPLETE',
        Changes: [change('A')],
      })
      .resolvesOnce({
        ChangeSetId: 'cs-1',
        ChangeSetName: 'gh-first',
        StackId: STACK_ID,
        Status: 'CREATE_COMPLETE',
        Changes: [change('A')],
        NextToken: 'page-2',
      })
      .resolves({ ChangeSetId: 'cs-other', ChangeSetName: 'gh-second', Changes: [change('B')] });
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs['change-set']).toContain('2 resource change(s).');
    expect(io.outputs['change-set']).toContain('| Add | B | T |');
    expect(cfn.commandCalls(ExecuteChangeSetCommand)[0]?.args[0].input).toMatchObject({
      ChangeSetName: 'cs-1',
      ClientRequestToken: 'xlfls-gh-first',
    });
  });

  it('fails naming the change set it could not describe', async () => {
    updating();
    cfn
      .on(DescribeChangeSetCommand)
      .rejectsOnce(sdkError('ValidationError', 'waiter stops here'))
      .rejects(sdkError('Throttling', 'slow down'));
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual(['could not describe change set cs-1: Throttling: slow down']);
  });

  it('fails naming the change set it could not execute', async () => {
    updating();
    cfn.on(ExecuteChangeSetCommand).rejects(sdkError('InvalidChangeSetStatus', 'not ready'));
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([
      'could not execute change set cs-1 on stack app: InvalidChangeSetStatus: not ready',
    ]);
  });

  it('fails naming the stack it could not protect from termination', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(stackMissing())
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    cfn.on(UpdateTerminationProtectionCommand).rejects(sdkError('AccessDenied', 'no'));
    const { io, value } = deps({ 'termination-protection': 'true' });
    await run(value);
    expect(io.failures).toEqual([
      'could not enable termination protection on stack app: AccessDenied: no',
    ]);
  });

  it('fails saying why it was deleting a stack it could not delete', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('ROLLBACK_COMPLETE')] });
    cfn.on(DeleteStackCommand).rejects(sdkError('AccessDenied', 'no'));
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([
      'could not delete stack app (its creation failed and rolled back; it can only be deleted): AccessDenied: no',
    ]);
    expect(io.annotations).toEqual([
      {
        level: 'warning',
        message:
          'Stack app is ROLLBACK_COMPLETE (its creation failed and rolled back; it can only be deleted): deleting it and creating it afresh.',
        properties: undefined,
      },
    ]);
    expect(cfn.commandCalls(DeleteStackCommand)[0]?.args[0].input).toEqual({ StackName: 'app' });
  });

  it('deletes the empty stack a failed first change set made, saying why if that fails', async () => {
    cfn.on(DescribeStacksCommand).rejects(stackMissing());
    describedAs({ Status: 'FAILED', StatusReason: 'Template error' });
    cfn.on(DeleteStackCommand).rejects(sdkError('AccessDenied', 'no'));
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([
      'could not delete stack app (its first change set failed): AccessDenied: no',
    ]);
  });

  it('only logs a change set it could not tidy away', async () => {
    updating();
    describedAs({
      Status: 'FAILED',
      StatusReason: "The submitted information didn't contain changes.",
    });
    cfn.on(DeleteChangeSetCommand).rejects(sdkError('Throttling', 'slow down'));
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs.changed).toBe('false');
    expect(io.logs).toContain(
      'debug: change set cs-1 was not deleted: AwsOperationError: could not delete change set cs-1: Throttling: slow down',
    );
  });

  it('fails a preview whose change set it could not delete, naming it', async () => {
    updating();
    cfn.on(DeleteChangeSetCommand).rejects(sdkError('Throttling', 'slow down'));
    const { io, value } = deps({ execute: 'false' });
    await run(value);
    expect(io.failures).toEqual(['could not delete change set cs-1: Throttling: slow down']);
  });

  it('takes a plain "no changes" error from CreateChangeSet as nothing to do', async () => {
    updating();
    cfn.on(CreateChangeSetCommand).rejects(new Error('The stack has no changes'));
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs['change-set']).toBe('No changes (The stack has no changes).');
  });

  it('leaves a change set CloudFormation gives no name to unnamed in the outputs', async () => {
    updating();
    cfn
      .on(DescribeChangeSetCommand)
      .resolves({ ChangeSetId: 'cs-1', StackId: STACK_ID, Status: 'CREATE_COMPLETE', Changes: [] });
    const { io, value } = deps({ 'create-only': 'true' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs).toMatchObject({ 'change-set-id': 'cs-1', 'change-set-name': '' });
  });

  it('takes a change set described without a Changes list as changing no resource', async () => {
    updating();
    cfn
      .on(DescribeChangeSetCommand)
      .resolves({ ChangeSetId: 'cs-1', StackId: STACK_ID, Status: 'CREATE_COMPLETE' });
    const { io, value } = deps({ 'create-only': 'true' });
    await run(value);
    expect(io.outputs['change-set']).toBe(
      '### Change set for review for stack `app` (update)\n\nNo resource changes: only outputs, parameters or tags change.\n\n',
    );
  });
});
