import type { IamRequest } from './operations';
import { decide, label } from './proof';
import { SAMPLE } from './render';
import { loadStacks, resource, resourcesOfType, type Principal } from './stacks';

// The stack's key as AWS services use it: each call evaluated against the key policy (and, for a
// role, its identity policies and boundary), with the encryption context the service sends.
const stacks = loadStacks();
const app = stacks.app;
const { region } = SAMPLE;
const key = resourcesOfType(app, 'AWS::KMS::Key')[0]!;
const keyArn = key.attributes.Arn!;
const usesKey = (value: unknown) => value === keyArn || value === key.ref;
const service = (name: string): Principal => ({
  arn: name,
  identityPolicies: [],
  trust: { Statement: [] },
});
const via = (name: string) => ({ 'kms:ViaService': `${name}.${region}.amazonaws.com` });
const calls = (
  actions: string[],
  context: Record<string, string | string[]>,
): [string, IamRequest][] =>
  actions.map((action) => {
    const request = { action, resource: keyArn, context };
    return [label(request), request];
  });

const LOGS_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:DescribeKey',
];
const EBS_ACTIONS = [
  'kms:CreateGrant',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:DescribeKey',
];

describe('CloudWatch Logs encrypts each log group of the stack (key policy, aws:logs:arn)', () => {
  const groups = resourcesOfType(app, 'AWS::Logs::LogGroup').filter((group) =>
    usesKey(group.properties.KmsKeyId),
  );
  const logs = service(`logs.${region}.amazonaws.com`);
  it('has encrypted log groups to check', () => {
    expect(groups.map((group) => group.logicalId)).toEqual(
      expect.arrayContaining(['DetectorLogGroup', 'VpcFlowLogGroup']),
    );
  });
  const allowed = groups.flatMap((group) =>
    calls(LOGS_ACTIONS, { 'kms:EncryptionContext:aws:logs:arn': group.arns[0]! }).map(
      ([text, request]): [string, IamRequest] => [`${group.logicalId}: ${text}`, request],
    ),
  );
  it.each(allowed)('allows %s', async (_label, request) => {
    expect(await decide(stacks, logs, request)).toBe('Allowed');
  });
  it.each(
    calls(['kms:GenerateDataKey', 'kms:Decrypt'], {
      'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${app.sample.account}:log-group:/payments/api`,
    }),
  )('denies a log group of another application: %s', async (_label, request) => {
    expect(await decide(stacks, logs, request)).not.toBe('Allowed');
  });
});

describe('EBS encrypts the instance volumes at launch, for the principal that launches them', () => {
  const volumes = [
    ...resourcesOfType(app, 'AWS::EC2::Instance'),
    ...resourcesOfType(app, 'AWS::EC2::LaunchTemplate'),
  ].filter((launcher) => JSON.stringify(launcher.properties).includes(keyArn));
  it('has volumes on the stack key to check', () => {
    expect(volumes.length).toBeGreaterThan(0);
  });
  const context = {
    ...via('ec2'),
    'kms:CallerAccount': app.sample.account,
    'kms:GrantIsForAWSResource': 'true',
    'kms:EncryptionContext:aws:ebs:id': 'vol-0a1b2c3d4e5f60718',
  };
  it.each(calls(EBS_ACTIONS, context))('allows the execution role %s', async (_label, request) => {
    expect(await decide(stacks, stacks.executionRole, request)).toBe('Allowed');
  });
  it.each(calls(['kms:Decrypt', 'kms:GenerateDataKeyWithoutPlaintext'], {}))(
    'denies the deploy role %s',
    async (_label, request) => {
      expect(await decide(stacks, stacks.deployRole, request)).not.toBe('Allowed');
    },
  );
});

describe('CloudWatch alarms publish to the encrypted alert topic', () => {
  const topic = resourcesOfType(app, 'AWS::SNS::Topic').find((candidate) =>
    usesKey(candidate.properties.KmsMasterKeyId),
  );
  const alarmsToTopic = resourcesOfType(app, 'AWS::CloudWatch::Alarm').filter((alarm) =>
    JSON.stringify(alarm.properties).includes(topic?.ref ?? '-'),
  );
  it('has alarms on the encrypted topic', () => {
    expect(alarmsToTopic.length).toBeGreaterThan(0);
  });
  it.each(calls(['kms:GenerateDataKey', 'kms:Decrypt'], {}))(
    'allows cloudwatch.amazonaws.com %s',
    async (_label, request) => {
      expect(await decide(stacks, service('cloudwatch.amazonaws.com'), request)).toBe('Allowed');
    },
  );
});

describe('the detector and the producer use the key only through Kinesis, SNS, SQS and (failed batches) S3', () => {
  const failedBatchBucket = resource(app, 'FailedBatchBucket').attributes.Arn!;
  const streamArn = resourcesOfType(app, 'AWS::Kinesis::Stream')[0]!.attributes.Arn!;
  const queueArn = resourcesOfType(app, 'AWS::SQS::Queue')[0]!.attributes.Arn!;
  const topicArn = resourcesOfType(app, 'AWS::SNS::Topic')[0]!.ref;
  const detector = stacks.stackRoles.DetectorRole!;
  const producer = stacks.stackRoles.ProducerRole!;
  const cases: [string, Principal, string[], Record<string, string>][] = [
    [
      'detector reads the stream',
      detector,
      ['kms:Decrypt'],
      { ...via('kinesis'), 'kms:EncryptionContext:aws:kinesis:arn': streamArn },
    ],
    [
      'detector publishes alerts',
      detector,
      ['kms:GenerateDataKey', 'kms:Decrypt'],
      { ...via('sns'), 'kms:EncryptionContext:aws:sns:topicArn': topicArn },
    ],
    [
      'detector dead-letters records',
      detector,
      ['kms:GenerateDataKey', 'kms:Decrypt'],
      { ...via('sqs'), 'kms:EncryptionContext:aws:sqs:arn': queueArn },
    ],
    [
      // With an S3 Bucket Key the encryption context is the bucket's ARN, not the object's.
      'detector keeps a failed batch (the mapping writes it as the function role)',
      detector,
      ['kms:GenerateDataKey'],
      { ...via('s3'), 'kms:EncryptionContext:aws:s3:arn': failedBatchBucket },
    ],
    [
      'producer puts readings',
      producer,
      ['kms:GenerateDataKey'],
      { ...via('kinesis'), 'kms:EncryptionContext:aws:kinesis:arn': streamArn },
    ],
  ];
  const allowed = cases.flatMap(([what, principal, actions, context]) =>
    calls(actions, context).map(([text, request]): [string, Principal, IamRequest] => [
      `${what}: ${text}`,
      principal,
      request,
    ]),
  );
  it.each(allowed)('allows %s', async (_label, principal, request) => {
    expect(await decide(stacks, principal, request)).toBe('Allowed');
  });
  const denied: [string, Principal, IamRequest][] = [
    ['detector decrypts directly', detector, { action: 'kms:Decrypt', resource: keyArn }],
    [
      'producer decrypts the stream',
      producer,
      { action: 'kms:Decrypt', resource: keyArn, context: via('kinesis') },
    ],
    ['producer decrypts directly', producer, { action: 'kms:Decrypt', resource: keyArn }],
    [
      'detector uses the key through S3 for another bucket',
      detector,
      {
        action: 'kms:GenerateDataKey',
        resource: keyArn,
        context: {
          ...via('s3'),
          'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::payments-exports',
        },
      },
    ],
    [
      'detector reads a failed batch back',
      detector,
      {
        action: 'kms:Decrypt',
        resource: keyArn,
        context: { ...via('s3'), 'kms:EncryptionContext:aws:s3:arn': failedBatchBucket },
      },
    ],
  ];
  it.each(denied)('denies %s', async (_label, principal, request) => {
    expect(await decide(stacks, principal, request)).not.toBe('Allowed');
  });
});

describe('key lifetime and the artifact bucket', () => {
  it('keeps the key when the stack is deleted: backups of the table outlive the stack', () => {
    expect(key.raw.DeletionPolicy).toBe('Retain');
    expect(key.raw.UpdateReplacePolicy).toBe('Retain');
  });

  it('encrypts the artifact bucket (build output only) with S3-managed keys, so no caller needs the key', () => {
    const bucket = resourcesOfType(app, 'AWS::S3::Bucket').find(
      (candidate) => candidate.ref === app.outputs.ArtifactBucketName,
    )!;
    expect(JSON.stringify(bucket.properties.BucketEncryption)).toContain('"SSEAlgorithm":"AES256"');
  });
});
