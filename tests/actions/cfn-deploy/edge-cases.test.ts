import {
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-deploy/src/main';
import {
  TEMPLATE,
  cfn,
  deps,
  stack,
  stackMissing,
  useCfnDeployFixtures,
  workspaceFile,
} from './fixtures';

useCfnDeployFixtures();

// Odd but possible answers from CloudFormation and odd templates: what the run makes of them.

describe('cfn-deploy edge cases', () => {
  it('gives every stack output with a key as a step output, an absent value as empty', async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        stack('UPDATE_COMPLETE', {
          Outputs: [
            { OutputValue: 'no key' },
            { OutputKey: 'Empty' },
            { OutputKey: 'Url', OutputValue: 'u' },
          ],
        }),
      ],
    });
    const { io, value } = deps({});
    await run(value);
    expect(io.outputs).toMatchObject({ Empty: '', Url: 'u' });
    expect(Object.values(io.outputs)).not.toContain('no key');
  });

  it('previews resources of a type it cannot read as "?"', async () => {
    workspaceFile(
      'template.json',
      JSON.stringify({ Parameters: { Size: null }, Resources: { A: null, B: { Type: 3 } } }),
    );
    cfn.on(DescribeStacksCommand).rejects(stackMissing());
    const { io, value } = deps({ execute: 'false' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs['change-set']).toContain('2 resource change(s).');
    expect(io.outputs['change-set']).toContain('| Add | A | ? |  |  |\n| Add | B | ? |  |  |');
  });

  it('fails naming the stack whose template it could not read', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(GetTemplateCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDenied' }));
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual(['could not read the template of stack app: AccessDenied: no']);
  });

  it('asks about this stack only while it waits for a deletion', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('ROLLBACK_COMPLETE')] })
      .resolvesOnce({ Stacks: [stack('DELETE_IN_PROGRESS')] })
      .resolvesOnce({ Stacks: [stack('DELETE_COMPLETE')] })
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    jest.useFakeTimers();
    try {
      const { io, value } = deps({});
      const done = run(value);
      for (let i = 0; i < 10; i += 1) await jest.advanceTimersByTimeAsync(15_000);
      await done;
      expect(io.failures).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
    for (const call of cfn.commandCalls(DescribeStacksCommand))
      expect(call.args[0].input).toEqual({ StackName: 'app' });
  });

  it('gives up on a change set still computing at the deadline', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(DescribeChangeSetCommand).resolves({ ChangeSetId: 'cs-1', Status: 'CREATE_PENDING' });
    jest.useFakeTimers();
    try {
      const { io, value } = deps({ 'timeout-minutes': '1' });
      const done = run(value);
      for (let i = 0; i < 30; i += 1) await jest.advanceTimersByTimeAsync(5_000);
      await done;
      expect(io.failures).toEqual([
        'Change set gh-abcdef123456-lfls for stack app failed: change set still CREATE_PENDING at the timeout',
      ]);
      expect(cfn.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('never turns termination protection on when creating a change set for review', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE });
    const { io, value } = deps({ 'create-only': 'true', 'termination-protection': 'true' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs.changed).toBe('false');
    expect(cfn.commandCalls(UpdateTerminationProtectionCommand)).toEqual([]);
    // Only a preview speaks of what a deploy would do.
    expect(io.summaryText()).not.toContain('termination protection');
  });

  it('reports a new stack whose first change set CloudFormation finds empty as unchanged, with no status', async () => {
    cfn.on(DescribeStacksCommand).rejects(stackMissing());
    cfn
      .on(CreateChangeSetCommand)
      .rejects(
        Object.assign(new Error('No updates are to be performed.'), { name: 'ValidationError' }),
      );
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs).toMatchObject({ status: '', changed: 'false', 'stack-id': '' });
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
  });

  it('previews the replacement of a stack a change set created and never ran, saying why', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('REVIEW_IN_PROGRESS')] });
    const { io, value } = deps({ execute: 'false' });
    await run(value);
    expect(io.outputs['change-set']).toContain(
      'Stack `app` is REVIEW_IN_PROGRESS (a change set created it but never ran; it holds no resources): a deploy deletes it',
    );
  });

  it('reads a YAML template with short-form tags without printing warnings into the log', async () => {
    workspaceFile(
      'template.yaml',
      'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub "${AWS::StackName}-q"\n',
    );
    cfn.on(DescribeStacksCommand).rejects(stackMissing());
    const warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const { io, value } = deps({ template: 'template.yaml', execute: 'false' });
      await run(value);
      expect(io.failures).toEqual([]);
      expect(warnings).not.toHaveBeenCalled();
    } finally {
      warnings.mockRestore();
    }
  });
});
