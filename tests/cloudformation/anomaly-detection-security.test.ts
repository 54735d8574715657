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

// What keeps the stack closed: encryption, private TLS-only buckets, no inbound rule unless asked,
// least-privilege IAM, a reason per skipped scanner check (the rest: anomaly-detection.test.ts).
describe('anomaly-detection.json', () => {
  it("encrypts the stream, topic, queue and bucket at rest with the stack's key (rotated)", () => {
    expect(props('AWS::KMS::Key').EnableKeyRotation).toBe(true);
    expect(props('AWS::Kinesis::Stream').StreamEncryption).toEqual({
      EncryptionType: 'KMS',
      KeyId: KEY,
    });
    expect(props('AWS::SNS::Topic').KmsMasterKeyId).toEqual({ Ref: 'EncryptionKey' });
    expect(props('AWS::SQS::Queue').KmsMasterKeyId).toEqual({ Ref: 'EncryptionKey' });
    // The artifact bucket holds only build output: S3-managed keys (see docs/decisions.md);
    // the failed-batch bucket holds readings: the stack's key.
    const encryption = Object.fromEntries(
      resourcesOfType(template, 'AWS::S3::Bucket').map(([name, bucket]) => [
        name,
        bucket.Properties?.BucketEncryption,
      ]),
    );
    expect(encryption.ArtifactBucket).toMatchObject({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ],
    });
    expect(encryption.FailedBatchBucket).toMatchObject({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY } },
      ],
    });
  });

  it('keeps both buckets private, versioned and TLS-only', () => {
    const buckets = resourcesOfType(template, 'AWS::S3::Bucket');
    expect(buckets.map(([name]) => name)).toEqual(['ArtifactBucket', 'FailedBatchBucket']);
    for (const [, bucket] of buckets) {
      expect(bucket.Properties).toMatchObject({
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
    }
    const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy');
    expect(policies).toHaveLength(2);
    for (const [, policy] of policies) {
      const { Statement } = policy.Properties?.PolicyDocument as {
        Statement: { Effect: string; Condition: unknown }[];
      };
      expect(Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it("puts the instance in the stack's own VPC with no inbound rule unless an SSH CIDR is given", () => {
    expect(resourcesOfType(template, 'AWS::EC2::VPC')).toHaveLength(1);
    expect(props('AWS::EC2::Subnet').VpcId).toEqual({ Ref: 'Vpc' });
    expect(props('AWS::EC2::SecurityGroup').SecurityGroupIngress).toBeUndefined();
    const ingress = onlyResourceOfType(template, 'AWS::EC2::SecurityGroupIngress');
    expect(ingress.Condition).toBe('HasSshCidr');
    expect(ingress.Properties).toMatchObject({
      FromPort: 22,
      ToPort: 22,
      CidrIp: { Ref: 'SshIngressCidr' },
    });
  });

  it('uses no wildcard IAM action, and a "*" resource only for actions that have no resource-level permissions', () => {
    const noResourceLevel = new Set([
      'ec2:DescribeInstances',
      'ec2:DescribeInstanceStatus',
      'tag:GetResources',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
      'ec2messages:AcknowledgeMessage',
      'ec2messages:DeleteMessage',
      'ec2messages:FailMessage',
      'ec2messages:GetEndpoint',
      'ec2messages:GetMessages',
      'ec2messages:SendReply',
    ]);
    const statements = policyStatements(template);
    expect(statements.length).toBeGreaterThan(5);
    for (const { resource, statement } of statements) {
      for (const action of actionsOf(statement))
        expect(`${resource}: ${action}`).not.toMatch(/(^|:)\*$/);
      const isKeyPolicy = resource === 'EncryptionKey';
      if (statement.Resource === '*' && statement.Effect === 'Allow' && !isKeyPolicy) {
        for (const action of actionsOf(statement))
          expect(noResourceLevel.has(action) ? action : `${resource}: ${action} on *`).toBe(action);
      }
    }
  });

  it('carries a reason for every scanner check it skips', () => {
    for (const [name, resource] of Object.entries(template.Resources)) {
      const skips =
        (resource.Metadata?.checkov as { skip?: { id: string; comment: string }[] } | undefined)
          ?.skip ?? [];
      for (const skip of skips)
        expect(`${name} ${skip.id}: ${skip.comment}`).toMatch(/^\S+ CKV\w*_\d+: .{40,}/);
    }
  });
});
