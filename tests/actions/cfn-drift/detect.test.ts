import {
  DescribeStackDriftDetectionStatusCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-drift/src/main';
import { cfn, deps, detection, prepareStack, resourceDrift, stack } from './harness';

const inSync = (status = 'UPDATE_COMPLETE') => {
  prepareStack(status, { StackDriftStatus: 'IN_SYNC' }, [
    resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', 'IN_SYNC'),
  ]);
};

const NOT_DETECTABLE = (status: string) =>
  `Stack app is ${status}: CloudFormation detects drift only on a stack whose last operation completed ` +
  '(CREATE_COMPLETE, UPDATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE, UPDATE_ROLLBACK_FAILED, IMPORT_COMPLETE, IMPORT_ROLLBACK_COMPLETE).';

describe('cfn-drift starts and follows one detection', () => {
  it.each([
    'CREATE_COMPLETE',
    'UPDATE_COMPLETE',
    'UPDATE_ROLLBACK_COMPLETE',
    'UPDATE_ROLLBACK_FAILED',
    'IMPORT_COMPLETE',
    'IMPORT_ROLLBACK_COMPLETE',
  ])('detects drift on a %s stack', async (status) => {
    inSync(status);
    const { io, value } = deps();

    await run(value);

    expect(io.failures).toEqual([]);
    expect(cfn.commandCalls(DetectStackDriftCommand).map((call) => call.args[0].input)).toEqual([
      { StackName: 'app' },
    ]);
    expect(io.logs).toContain(`Drift detection d-1 started on stack app (${status}).`);
    expect(io.outputs.status).toBe('IN_SYNC');
  });

  it('refuses a stack in another state, listing the states it can check', async () => {
    inSync();
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_FAILED')] });
    const { io, value } = deps();

    await run(value);

    expect(io.failures).toEqual([NOT_DETECTABLE('UPDATE_FAILED')]);
    expect(cfn.commandCalls(DetectStackDriftCommand)).toHaveLength(0);
  });

  it('calls a stack CloudFormation gives no status for UNKNOWN, and does not check it', async () => {
    inSync();
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'app', StackStatus: undefined, CreationTime: new Date(0) }],
    });
    const { io, value } = deps();

    await run(value);

    expect(io.failures).toEqual([NOT_DETECTABLE('UNKNOWN')]);
  });

  it('logs a progress line every 5 seconds, then how the detection ended', async () => {
    // Prepare: two answers in progress, then the verdict.
    inSync();
    cfn
      .on(DescribeStackDriftDetectionStatusCommand)
      .resolvesOnce(
        detection({ DetectionStatus: 'DETECTION_IN_PROGRESS', StackDriftStatus: undefined }),
      )
      .resolvesOnce(
        detection({ DetectionStatus: 'DETECTION_IN_PROGRESS', StackDriftStatus: undefined }),
      )
      .resolves(detection({ StackDriftStatus: 'IN_SYNC' }));
    const { io, value } = deps();

    // Act
    await run(value);

    // Assess
    expect(io.logs).toEqual([
      'group: Detect drift on app',
      'Drift detection d-1 started on stack app (UPDATE_COMPLETE).',
      '+0s drift detection on app in progress',
      '+5s drift detection on app in progress',
      '+10s DETECTION_COMPLETE: IN_SYNC',
    ]);
    expect(
      cfn.commandCalls(DescribeStackDriftDetectionStatusCommand).map((call) => call.args[0].input),
    ).toEqual([
      { StackDriftDetectionId: 'd-1' },
      { StackDriftDetectionId: 'd-1' },
      { StackDriftDetectionId: 'd-1' },
    ]);
  });

  it('logs "?" for what the last answer leaves out, and reports UNKNOWN', async () => {
    inSync();
    cfn
      .on(DescribeStackDriftDetectionStatusCommand)
      .resolves(detection({ DetectionStatus: undefined, StackDriftStatus: undefined }));
    const { io, value } = deps();

    await run(value);

    expect(io.logs).toContain('+0s ?: ?');
    expect(io.outputs.status).toBe('UNKNOWN');
  });

  it('a failed detection without a reason: its verdict logged and kept, the step failed saying so', async () => {
    inSync();
    cfn
      .on(DescribeStackDriftDetectionStatusCommand)
      .resolves(detection({ DetectionStatus: 'DETECTION_FAILED', StackDriftStatus: 'DRIFTED' }));
    const { io, value } = deps();

    await run(value);

    expect(io.logs).toContain('+0s DETECTION_FAILED: DRIFTED');
    expect(io.outputs.status).toBe('DRIFTED');
    expect(io.failures).toEqual([
      'Drift detection on stack app failed (DETECTION_FAILED): no reason given',
    ]);
  });

  it('fails naming the stack when the detection cannot be followed', async () => {
    inSync();
    cfn
      .on(DescribeStackDriftDetectionStatusCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const { io, value } = deps();

    await run(value);

    expect(io.failures).toEqual([
      'could not follow drift detection on app: Throttling: Rate exceeded',
    ]);
  });

  it('gives up on a stack still busy at the timeout, saying no detection was started', async () => {
    inSync();
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_IN_PROGRESS')] });
    const { io, value, elapsed } = deps({ 'timeout-minutes': '1' });

    await run(value);

    expect(io.failures).toEqual([
      'Stack app is still UPDATE_IN_PROGRESS at the timeout (timeout-minutes); drift detection was not started.',
    ]);
    expect(elapsed()).toBe(60_000);
    expect(cfn.commandCalls(DetectStackDriftCommand)).toHaveLength(0);
  });
});
