import { deployedBatching } from '../../sizing/src/stack-defaults';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { loadTemplate, onlyResourceOfType, policyStatements, resourcesOfType } from './template';

const template = loadTemplate('anomaly-detection.json');
const props = (type: string) => onlyResourceOfType(template, type).Properties ?? {};

// How the stack delivers readings to people: the event source mapping, where failed batches
// go, the alarms, and the cost switches (issue 14).
describe('anomaly-detection.json: delivery, alarms and cost', () => {
  it('batches a few seconds of readings, retries until they expire, and keeps failed batches whole in S3', () => {
    const mapping = props('AWS::Lambda::EventSourceMapping');
    expect(mapping).toMatchObject({
      FunctionName: { Ref: 'DetectorAlias' },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: -1,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': ['FailedBatchBucket', 'Arn'] } },
      },
    });
    const { windowSeconds } = deployedBatching(repoRoot);
    expect(windowSeconds).toBeGreaterThanOrEqual(3);
    expect(windowSeconds).toBeLessThanOrEqual(10);
    expect(props('AWS::Kinesis::Stream').RetentionPeriodHours).toEqual({
      Ref: 'StreamRetentionHours',
    });
    expect(template.Parameters.StreamRetentionHours?.Default).toBe(168);
    const detector = policyStatements(template)
      .filter((entry) => entry.resource === 'DetectorRole')
      .map((entry) => entry.statement);
    expect(detector).toContainEqual(
      expect.objectContaining({
        Action: ['s3:PutObject', 's3:ListBucket'],
        Resource: [
          { 'Fn::GetAtt': ['FailedBatchBucket', 'Arn'] },
          { 'Fn::Sub': '${FailedBatchBucket.Arn}/*' },
        ],
      }),
    );
    expect(detector).toContainEqual(
      expect.objectContaining({
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: { 'Fn::GetAtt': ['AnomalyTable', 'Arn'] },
      }),
    );
  });

  it('keeps tracing and detailed monitoring off unless a parameter turns them on', () => {
    expect(template.Parameters.EnableTracing?.Default).toBe('false');
    expect(template.Parameters.DetailedMonitoring?.Default).toBe('false');
    expect(props('AWS::Lambda::Function').TracingConfig).toEqual({
      Mode: { 'Fn::If': ['TracingEnabled', 'Active', 'PassThrough'] },
    });
    expect(props('AWS::EC2::Instance').Monitoring).toEqual({
      'Fn::If': ['DetailedMonitoringEnabled', true, false],
    });
  });

  it('alarms on each new dead letter, on a stream that stops receiving readings, and long before records expire', () => {
    const alarm = (name: string) => template.Resources[name]?.Properties ?? {};
    expect(alarm('DeadLetterAlarm')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'NumberOfMessagesSent',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarm('NoReadingsAlarm')).toMatchObject({
      Namespace: 'AWS/Kinesis',
      MetricName: 'IncomingRecords',
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: 'AlertTopic' }],
    });
    const iteratorAge = alarm('StreamIteratorAgeAlarm');
    // The shortest retention the StreamRetentionHours parameter allows: 24 hours.
    const retentionMs = 24 * 3_600_000;
    expect(Number(iteratorAge.Threshold)).toBeLessThan(retentionMs / 50);
  });

  it('sends no e-mail when an alarm returns to OK unless AlarmOkNotifications asks', () => {
    expect(template.Parameters.AlarmOkNotifications?.Default).toBe('false');
    for (const [, alarm] of resourcesOfType(template, 'AWS::CloudWatch::Alarm')) {
      expect([
        undefined,
        { 'Fn::If': ['NotifyOnOk', [{ Ref: 'AlertTopic' }], { Ref: 'AWS::NoValue' }] },
      ]).toContainEqual(alarm.Properties?.OKActions);
    }
  });
});
