import {
  DescribeStackDriftDetectionStatusCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-drift/src/main';
import { cfn, deps, detection, prepareStack, resourceDrift, stack } from './harness';

const inSync = () => {
  prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'IN_SYNC' }, [
    resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', 'IN_SYNC'),
  ]);
};

describe('cfn-drift on stacks it cannot check, and bad input', () => {
  it('a stack that does not exist: a clear failure naming it, no detection started', async () => {
    inSync();
    cfn.on(DescribeStacksCommand).rejects(new Error('Stack with id app does not exist'));
    const { io, value } = deps();

    await run(value);

    expect(io.failures).toEqual(['Stack app does not exist: there is nothing to check.']);
    expect(cfn.commandCalls(DetectStackDriftCommand)).toHaveLength(0);
  });

  it('a stack in a state detection cannot run in: names the stack and the state', async () => {
    inSync();
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('ROLLBACK_COMPLETE')] });
    const { io, value } = deps();

    await run(value);

    expect(io.failures[0]).toMatch(
      /^Stack app is ROLLBACK_COMPLETE: CloudFormation detects drift only on a stack whose last operation completed/,
    );
    expect(cfn.commandCalls(DetectStackDriftCommand)).toHaveLength(0);
  });

  it('a stack mid-update is waited for, then checked (never read mid-change)', async () => {
    inSync();
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_IN_PROGRESS')] })
      .resolvesOnce({ Stacks: [stack('UPDATE_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const { io, value } = deps();

    await run(value);

    expect(io.failures).toEqual([]);
    expect(io.logs).toContain(
      'Stack app is UPDATE_IN_PROGRESS; waiting for that operation to finish first.',
    );
    expect(io.outputs.status).toBe('IN_SYNC');
  });

  it('a detection that does not finish within timeout-minutes: fails naming stack and state', async () => {
    inSync();
    cfn
      .on(DescribeStackDriftDetectionStatusCommand)
      .resolves(
        detection({ DetectionStatus: 'DETECTION_IN_PROGRESS', StackDriftStatus: undefined }),
      );
    const { io, value, elapsed } = deps({ 'timeout-minutes': '2' });

    await run(value);

    expect(io.failures).toEqual([
      'Drift detection on stack app is still DETECTION_IN_PROGRESS at the timeout (timeout-minutes: 2); no result was reported.',
    ]);
    expect(elapsed()).toBe(120_000);
    expect(io.logs).toContain('+5s drift detection on app in progress');
    expect(io.outputs.status).toBeUndefined();
  });

  it('DetectStackDrift refused by CloudFormation: the AWS error with what was being done', async () => {
    inSync();
    cfn.on(DetectStackDriftCommand).rejects(
      Object.assign(new Error('Drift detection is already in progress for stack app'), {
        name: 'ValidationError',
      }),
    );
    const { io, value } = deps();

    await run(value);

    expect(io.failures).toEqual([
      'could not start drift detection on stack app: ValidationError: Drift detection is already in progress for stack app',
    ]);
  });

  it.each([
    [{ 'stack-name': '' }, 'Input "stack-name" is required.'],
    [{ 'fail-on-drift': 'maybe' }, 'Input "fail-on-drift" must be true or false, not "maybe".'],
    [
      { 'timeout-minutes': '0' },
      'Input "timeout-minutes" must be a whole number from 1 to 360, not "0".',
    ],
    [
      { 'issue-label': 'a,b' },
      'Input "issue-label": "a,b" is not a GitHub label (1 to 50 characters, no comma).',
    ],
  ])('bad input %j: %s, no AWS call', async (inputs, message) => {
    inSync();
    const { io, value } = deps(inputs);

    await run(value);

    expect(io.failures).toEqual([message]);
    expect(cfn.calls()).toHaveLength(0);
  });
});
