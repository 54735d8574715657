import { run } from '../../../actions/cfn-drift/src/main';
import { deps, prepareStack, resourceDrift } from './harness';

describe('cfn-drift verdict and fail-on-drift', () => {
  it('fail-on-drift counts only the resources modified or deleted', async () => {
    prepareStack(
      'UPDATE_COMPLETE',
      { StackDriftStatus: 'DRIFTED' },
      [
        resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', 'MODIFIED', [
          ['/RetentionPeriodHours', '24', '48', 'NOT_EQUAL'],
        ]),
        resourceDrift('AlertEmailSubscription', 'AWS::SNS::Subscription', 'DELETED'),
        resourceDrift('AnomalyTable', 'AWS::DynamoDB::Table', 'IN_SYNC'),
        resourceDrift('DetectorFunction', 'AWS::Lambda::Function', 'UNKNOWN'),
      ],
      [{ logicalId: 'Vpc', type: 'AWS::EC2::VPC' }],
    );
    const { io, value } = deps({ 'fail-on-drift': 'true' });

    await run(value);

    expect(io.failures).toEqual([
      'Stack app has drifted: 2 resource(s) changed outside CloudFormation (fail-on-drift: true); see the job summary.',
    ]);
  });

  it.each(['IN_SYNC', 'UNKNOWN'])(
    'fail-on-drift: true passes a stack whose verdict is %s',
    async (verdict) => {
      prepareStack('UPDATE_COMPLETE', { StackDriftStatus: verdict as 'IN_SYNC' }, [
        resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', verdict),
      ]);
      const { io, value } = deps({ 'fail-on-drift': 'true' });

      await run(value);

      expect(io.failures).toEqual([]);
      expect(io.outputs.status).toBe(verdict);
    },
  );

  it('a detection that failed is never IN_SYNC, whatever drift status it gives', async () => {
    prepareStack(
      'UPDATE_COMPLETE',
      {
        DetectionStatus: 'DETECTION_FAILED',
        StackDriftStatus: 'IN_SYNC',
        DetectionStatusReason: 'Failed to detect drift on resource [DetectorFunction]',
      },
      [resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', 'IN_SYNC')],
    );
    const { io, value } = deps();

    await run(value);

    expect(io.outputs.status).toBe('UNKNOWN');
    expect(io.failures).toEqual([
      'Drift detection on stack app failed (DETECTION_FAILED): Failed to detect drift on resource [DetectorFunction]',
    ]);
  });
});
