import { run } from '../../../actions/cfn-drift/src/main';
import { deps, prepareStack, resourceDrift } from './harness';

const DRIFT_HEAD = [
  '| Resource | Type | Status | Property | Expected → actual | Change |',
  '| --- | --- | --- | --- | --- | --- |',
];
const NOT_CHECKED = [
  '### Not checked',
  '',
  'CloudFormation cannot check these (their type does not support drift detection, or the check did not finish):',
  '',
  '| Resource | Type | Status |',
  '| --- | --- | --- |',
];
const FOOTER = (inSync: number) =>
  `${inSync} resource(s) in sync. Only the properties the template sets are compared.`;

describe('cfn-drift job summary', () => {
  it('a drifted stack: heading, the drift table, the resources not checked, the count in sync', async () => {
    // Prepare: CloudFormation answers in its own order, not by logical id.
    prepareStack(
      'UPDATE_COMPLETE',
      { StackDriftStatus: 'DRIFTED' },
      [
        resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', 'MODIFIED', [
          ['/RetentionPeriodHours', '24', '48', 'NOT_EQUAL'],
        ]),
        resourceDrift('AnomalyTable', 'AWS::DynamoDB::Table', 'IN_SYNC'),
        resourceDrift('DetectorFunction', 'AWS::Lambda::Function', 'UNKNOWN'),
        resourceDrift('AlertEmailSubscription', 'AWS::SNS::Subscription', 'DELETED'),
      ],
      [{ logicalId: 'Vpc', type: 'AWS::EC2::VPC' }],
    );
    const { io, value } = deps();

    // Act
    await run(value);

    // Assess
    expect(io.failures).toEqual([]);
    expect(io.summaryText()).toBe(
      [
        '## ⚠️ Drift of app: DRIFTED',
        '',
        '',
        '2 resource(s) changed outside CloudFormation:',
        '',
        ...DRIFT_HEAD,
        '| AlertEmailSubscription | AWS::SNS::Subscription | DELETED |  |  |  |',
        '| ReadingStream | AWS::Kinesis::Stream | MODIFIED | `/RetentionPeriodHours` | `24` → `48` | NOT_EQUAL |',
        '',
        ...NOT_CHECKED,
        '| DetectorFunction | AWS::Lambda::Function | UNKNOWN |',
        '| Vpc | AWS::EC2::VPC | NOT_CHECKED |',
        '',
        FOOTER(1),
        '',
      ].join('\n'),
    );
    expect(io.outputs['drifted-count']).toBe('2');
    expect(
      (JSON.parse(io.outputs.report ?? '') as { logicalId: string; status: string }[]).map(
        (resource) => `${resource.logicalId} ${resource.status}`,
      ),
    ).toEqual([
      'AlertEmailSubscription DELETED',
      'AnomalyTable IN_SYNC',
      'DetectorFunction UNKNOWN',
      'ReadingStream MODIFIED',
      'Vpc NOT_CHECKED',
    ]);
  });

  it('a stack in sync with every resource checked: no table, no "Not checked" section', async () => {
    prepareStack('UPDATE_COMPLETE', { StackDriftStatus: 'IN_SYNC' }, [
      resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', 'IN_SYNC'),
      resourceDrift('AnomalyTable', 'AWS::DynamoDB::Table', 'IN_SYNC'),
    ]);
    const { io, value } = deps();

    await run(value);

    expect(io.summaryText()).toBe(
      [
        '## ✅ Drift of app: IN_SYNC',
        '',
        '',
        '_No resource has drifted._',
        '',
        '',
        '',
        FOOTER(2),
        '',
      ].join('\n'),
    );
  });

  it('a failed detection: UNKNOWN heading, then the reason CloudFormation gave', async () => {
    prepareStack(
      'UPDATE_COMPLETE',
      {
        DetectionStatus: 'DETECTION_FAILED',
        StackDriftStatus: 'UNKNOWN',
        DetectionStatusReason: 'Failed to detect drift on resource [DetectorFunction]',
      },
      [
        resourceDrift('ReadingStream', 'AWS::Kinesis::Stream', 'IN_SYNC'),
        resourceDrift('DetectorFunction', 'AWS::Lambda::Function', 'UNKNOWN'),
      ],
    );
    const { io, value } = deps();

    await run(value);

    expect(io.summaryText()).toBe(
      [
        '## ❔ Drift of app: UNKNOWN',
        '',
        'Drift detection failed: Failed to detect drift on resource [DetectorFunction]',
        '',
        '_No resource has drifted._',
        '',
        ...NOT_CHECKED,
        '| DetectorFunction | AWS::Lambda::Function | UNKNOWN |',
        '',
        FOOTER(1),
        '',
      ].join('\n'),
    );
  });
});
