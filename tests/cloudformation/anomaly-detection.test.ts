import {
  actionsOf,
  loadTemplate,
  onlyResourceOfType,
  policyStatements,
  resourcesOfType,
} from './template';

const template = loadTemplate('anomaly-detection.json');
const props = (type: string) => onlyResourceOfType(template, type).Properties ?? {};
const KEY = { 'Fn::GetAtt': ['EncryptionKey', 'Arn'] };

// The stack's names, outputs and wiring, and bootstrap-oidc.json's roles (what keeps the stack
// closed, from encryption to IAM: anomaly-detection-security.test.ts).
describe('anomaly-detection.json', () => {
  it("names the seed resources through parameters with the seeds' defaults", () => {
    expect(template.Parameters.StreamName?.Default).toBe('m03p02_raw_data_stream');
    expect(template.Parameters.TableName?.Default).toBe('m03p02_anomaly_data');
    expect(template.Parameters.TopicName?.Default).toBe('m03p02_anomaly_alerts');
    // In production the parameter itself; elsewhere suffixed (environments.test.ts renders both).
    const named = (parameter: string) => ({
      'Fn::If': [
        'IsProduction',
        { Ref: parameter },
        { 'Fn::Sub': `\${${parameter}}-\${EnvironmentName}` },
      ],
    });
    expect(props('AWS::Kinesis::Stream').Name).toEqual(named('StreamName'));
    expect(props('AWS::DynamoDB::Table').TableName).toEqual(named('TableName'));
    expect(props('AWS::SNS::Topic').TopicName).toEqual(named('TopicName'));
  });

  it("has the seeds' outputs and the ones the pipeline wires", () => {
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining([
        'InstanceId',
        'StreamName',
        'TableName',
        'TopicArn',
        'SubscriptionArn',
        'ArtifactBucketName',
        'FunctionName',
        'DeadLetterQueueUrl',
        'CodeDeployApplicationName',
        'CodeDeployDeploymentGroupName',
      ]),
    );
  });

  it('subscribes the AlertEmail parameter by e-mail, only when one is given', () => {
    const subscription = onlyResourceOfType(template, 'AWS::SNS::Subscription');
    expect(subscription.Condition).toBe('HasAlertEmail');
    expect(subscription.Properties).toMatchObject({
      Protocol: 'email',
      Endpoint: { Ref: 'AlertEmail' },
    });
  });

  it('keys the table on deviceId and timestamp, with PITR, deletion protection and KMS', () => {
    expect(props('AWS::DynamoDB::Table')).toMatchObject({
      KeySchema: [
        { AttributeName: 'deviceId', KeyType: 'HASH' },
        { AttributeName: 'timestamp', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: expect.arrayContaining([
        { AttributeName: 'deviceId', AttributeType: 'S' },
        { AttributeName: 'timestamp', AttributeType: 'S' },
      ]),
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY },
    });
  });

  it('gives the detector the environment of its contract', () => {
    const variables = (
      props('AWS::Lambda::Function').Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(variables).toMatchObject({
      ANOMALY_TABLE_NAME: { Ref: 'AnomalyTable' },
      ALERT_TOPIC_ARN: { Ref: 'AlertTopic' },
      DEAD_LETTER_QUEUE_URL: { Ref: 'DeadLetterQueue' },
    });
  });

  it('takes the Ubuntu AMI from the public SSM parameter', () => {
    expect(template.Parameters.UbuntuAmiId).toEqual(
      expect.objectContaining({
        Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
        Default: expect.stringMatching(/^\/aws\/service\/canonical\/ubuntu\/server\//),
      }),
    );
    expect(props('AWS::EC2::Instance').ImageId).toEqual({ Ref: 'UbuntuAmiId' });
  });

  it('requires IMDSv2 and exposes the stream name as an instance tag for the revision', () => {
    const instance = props('AWS::EC2::Instance');
    expect(instance.MetadataOptions).toMatchObject({
      HttpTokens: 'required',
      InstanceMetadataTags: 'enabled',
    });
    expect(instance.Tags).toContainEqual({
      Key: 'AnomalyStreamName',
      Value: { Ref: 'ReadingStream' },
    });
  });

  it('retains logs for a bounded time and alarms on detector errors and stream iterator age to the topic', () => {
    for (const [, group] of resourcesOfType(template, 'AWS::Logs::LogGroup'))
      expect(group.Properties?.RetentionInDays).toEqual({ Ref: 'LogRetentionDays' });
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(
      ([, alarm]) => alarm.Properties ?? {},
    );
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        AlarmActions: [{ Ref: 'AlertTopic' }],
      }),
    );
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/Kinesis',
        MetricName: 'GetRecords.IteratorAgeMilliseconds',
        AlarmActions: [{ Ref: 'AlertTopic' }],
      }),
    );
  });

  it('deploys to the instance by its tag and rolls back automatically on failure', () => {
    // The producer's group (the detector's Lambda group is checked with the live alias).
    const group = template.Resources.CodeDeployDeploymentGroup?.Properties ?? {};
    const instanceTags = props('AWS::EC2::Instance').Tags as { Key: string; Value: unknown }[];
    const filter = (group.Ec2TagFilters as { Key: string; Value: unknown; Type: string }[])[0]!;
    expect(instanceTags).toContainEqual({ Key: filter.Key, Value: filter.Value });
    expect(group.AutoRollbackConfiguration).toEqual({
      Enabled: true,
      Events: expect.arrayContaining(['DEPLOYMENT_FAILURE']),
    });
  });

  it('has the mapping invoke a live alias that a CodeDeploy Lambda group shifts, stopped and rolled back by the detector alarms', () => {
    const resources = template.Resources;
    expect(resources.DetectorVersion?.Properties).toMatchObject({
      FunctionName: { Ref: 'DetectorFunction' },
    });
    expect(resources.DetectorAlias?.Properties).toMatchObject({
      Name: 'live',
      FunctionName: { Ref: 'DetectorFunction' },
      FunctionVersion: { 'Fn::GetAtt': ['DetectorVersion', 'Version'] },
    });
    expect(props('AWS::Lambda::EventSourceMapping').FunctionName).toEqual({ Ref: 'DetectorAlias' });
    expect(resources.DetectorDeploymentApplication?.Properties?.ComputePlatform).toBe('Lambda');
    expect(resources.DetectorDeploymentGroup?.Properties).toMatchObject({
      ApplicationName: { Ref: 'DetectorDeploymentApplication' },
      DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
      AlarmConfiguration: {
        Enabled: true,
        Alarms: [
          { Name: { Ref: 'DetectorErrorsAlarm' } },
          { Name: { Ref: 'StreamIteratorAgeAlarm' } },
        ],
      },
      AutoRollbackConfiguration: {
        Enabled: true,
        Events: expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']),
      },
    });
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining([
        'DetectorAliasArn',
        'DetectorDeploymentApplicationName',
        'DetectorDeploymentGroupName',
      ]),
    );
  });

  it('gives the Lambda first code inline so the first deployment needs nothing uploaded beforehand', () => {
    expect((props('AWS::Lambda::Function').Code as { ZipFile?: string }).ZipFile).toContain(
      'exports.handler',
    );
  });
});

describe('bootstrap-oidc.json', () => {
  const bootstrap = loadTemplate('bootstrap-oidc.json');

  it('trusts only one repository and one environment, for sts.amazonaws.com', () => {
    const role = bootstrap.Resources.DeployRole?.Properties ?? {};
    const [trust] = (
      role.AssumeRolePolicyDocument as {
        Statement: { Action: string; Condition: { StringEquals: Record<string, unknown> } }[];
      }
    ).Statement;
    expect(trust?.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(trust?.Condition.StringEquals).toEqual({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': {
        'Fn::Sub': 'repo:${GitHubOwner}/${RepositoryName}:environment:${EnvironmentName}',
      },
    });
  });

  it('makes the OIDC provider optional', () => {
    expect(onlyResourceOfType(bootstrap, 'AWS::IAM::OIDCProvider').Condition).toBe(
      'CreateProvider',
    );
  });

  // What each role may do is proven request by request in tests/iam; this is the shape.
  it('grants service-wide actions only on the stack\'s resources (by name or stack tag), and creation rights on "*" only under a condition', () => {
    for (const { resource, statement } of policyStatements(bootstrap)) {
      if (statement.Effect !== 'Allow') continue;
      const onEverything = statement.Resource === '*';
      for (const action of actionsOf(statement))
        if (/(^|:)\*$/.test(action))
          expect(
            `${resource}: ${action} ${onEverything && !statement.Condition ? 'on *' : 'scoped'}`,
          ).toBe(`${resource}: ${action} scoped`);
      // The boundary grants nothing itself; it caps the stack's roles.
      if (resource === 'PermissionsBoundary') continue;
      if (
        onEverything &&
        actionsOf(statement).some((action) => /:(Create|Delete|Put|Run|Attach)/.test(action))
      )
        expect(statement.Condition).toBeDefined();
    }
  });
});
