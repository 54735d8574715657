import { run } from '../../../actions/cfn-drift/src/main';
import { deps, prepareStack, resourceDrift } from './harness';

const stream = (status: string, differences: [string, string, string, string][] = []) =>
  resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', status, differences);

describe('cfn-drift reports each resource status as CloudFormation gives it', () => {
  it('IN_SYNC: says so, drifted-count 0, the step passes', async () => {
    // Prepare
    prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'IN_SYNC' }, [stream('IN_SYNC')]);
    const { io, value } = deps();

    // Act
    await run(value);

    // Assess
    expect(io.failures).toEqual([]);
    expect(io.outputs.status).toBe('IN_SYNC');
    expect(io.outputs['drifted-count']).toBe('0');
    expect(JSON.parse(io.outputs.report ?? '')).toEqual([
      {
        logicalId: 'ReadingStream',
        type: 'AWS::Kinesis::Stream',
        status: 'IN_SYNC',
        differences: [],
      },
    ]);
    expect(io.summaryText()).toContain('## ✅ Drift of app: IN_SYNC');
    expect(io.summaryText()).toContain('_No resource has drifted._');
    expect(io.annotations).toEqual([]);
  });

  it('MODIFIED: a row per property with path, expected → actual and kind, and an annotation', async () => {
    prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'DRIFTED', DriftedStackResourceCount: 1 }, [
      stream('MODIFIED', [
        ['/RetentionPeriodHours', '24', '48', 'NOT_EQUAL'],
        ['/Tags/0', '', '{"Key":"owner","Value":"ops"}', 'ADD'],
      ]),
    ]);
    const { io, value } = deps();

    await run(value);

    expect(io.failures).toEqual([]);
    expect(io.outputs.status).toBe('DRIFTED');
    expect(io.outputs['drifted-count']).toBe('1');
    expect(io.summaryText()).toContain(
      '| ReadingStream | AWS::Kinesis::Stream | MODIFIED | `/RetentionPeriodHours` | `24` → `48` | NOT_EQUAL |',
    );
    expect(io.summaryText()).toContain(
      '| `/Tags/0` | `` → `{"Key":"owner","Value":"ops"}` | ADD |',
    );
    expect(io.annotations).toEqual([
      {
        level: 'warning',
        message:
          'ReadingStream (AWS::Kinesis::Stream) is MODIFIED: /RetentionPeriodHours: 24 → 48 (NOT_EQUAL); /Tags/0:  → {"Key":"owner","Value":"ops"} (ADD)',
        properties: { title: 'Drift in app' },
      },
    ]);
  });

  it('DELETED: the resource is named as deleted, with no property rows to invent', async () => {
    prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'DRIFTED' }, [
      resourceDrift('AlertEmailSubscription', 'AWS::SNS::Subscription', 'DELETED'),
    ]);
    const { io, value } = deps();

    await run(value);

    expect(io.outputs.status).toBe('DRIFTED');
    expect(io.outputs['drifted-count']).toBe('1');
    expect(io.summaryText()).toContain(
      '| AlertEmailSubscription | AWS::SNS::Subscription | DELETED |  |  |  |',
    );
    expect(io.annotations.map((a) => a.message)).toEqual([
      'AlertEmailSubscription (AWS::SNS::Subscription) is DELETED',
    ]);
  });

  it('NOT_CHECKED: resources CloudFormation did not check are listed as such, not hidden', async () => {
    prepareStack(
      'UPDATE_COMPLETE',
      { StackDriftStatus: 'IN_SYNC' },
      [stream('IN_SYNC')],
      [{ logicalId: 'DetectorDeploymentGroup', type: 'AWS::CodeDeploy::DeploymentGroup' }],
    );
    const { io, value } = deps();

    await run(value);

    expect(io.outputs.status).toBe('IN_SYNC');
    expect(io.summaryText()).toContain('### Not checked');
    expect(io.summaryText()).toContain(
      '| DetectorDeploymentGroup | AWS::CodeDeploy::DeploymentGroup | NOT_CHECKED |',
    );
    expect(JSON.parse(io.outputs.report ?? '')).toContainEqual({
      logicalId: 'DetectorDeploymentGroup',
      type: 'AWS::CodeDeploy::DeploymentGroup',
      status: 'NOT_CHECKED',
      differences: [],
    });
  });

  it('UNKNOWN: a resource CloudFormation could not read makes the stack UNKNOWN, never IN_SYNC', async () => {
    prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'UNKNOWN' }, [stream('UNKNOWN')]);
    const { io, value } = deps();

    await run(value);

    expect(io.failures).toEqual([]);
    expect(io.outputs.status).toBe('UNKNOWN');
    expect(io.outputs['drifted-count']).toBe('0');
    expect(io.summaryText()).toContain('| ReadingStream | AWS::Kinesis::Stream | UNKNOWN |');
  });

  it('detection failing: reported with its reason, status UNKNOWN, and the step fails naming the stack', async () => {
    prepareStack(
      'UPDATE_COMPLETE',
      {
        DetectionStatus: 'DETECTION_FAILED',
        StackDriftStatus: 'UNKNOWN',
        DetectionStatusReason:
          'Failed to detect drift on resource [DetectorFunction]: access denied',
      },
      [stream('IN_SYNC')],
    );
    const { io, value } = deps();

    await run(value);

    expect(io.outputs.status).toBe('UNKNOWN');
    expect(io.summaryText()).toContain(
      'Drift detection failed: Failed to detect drift on resource [DetectorFunction]: access denied',
    );
    expect(io.failures).toEqual([
      'Drift detection on stack app failed (DETECTION_FAILED): Failed to detect drift on resource [DetectorFunction]: access denied',
    ]);
  });

  it('fail-on-drift: true fails a drifted stack after writing the report', async () => {
    prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'DRIFTED' }, [
      stream('MODIFIED', [['/RetentionPeriodHours', '24', '48', 'NOT_EQUAL']]),
    ]);
    const { io, value } = deps({ 'fail-on-drift': 'true' });

    await run(value);

    expect(io.outputs.status).toBe('DRIFTED');
    expect(io.summaryText()).toContain('`/RetentionPeriodHours`');
    expect(io.failures).toEqual([
      'Stack app has drifted: 1 resource(s) changed outside CloudFormation (fail-on-drift: true); see the job summary.',
    ]);
  });
});
