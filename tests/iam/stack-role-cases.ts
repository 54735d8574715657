import { requestsFor, stackView, type IamRequest } from './operations';
import { label } from './proof';
import { sdkCallsIn } from './sdk-commands';
import { resource, resourcesOfType, type Stacks } from './stacks';

/**
 * The roles the stack creates, each under the permissions boundary: what their code sends (found
 * in the code) and what AWS services do with them on their behalf (allowed), and what they must
 * not do (denied). stack-roles.test.ts proves both; statement-removal.test.ts needs the allowed.
 */

export interface StackRoleCase {
  readonly role: string;
  readonly allowed: [string, IamRequest][];
  readonly denied: [string, IamRequest][];
}

export function stackRoleCases(stacks: Stacks): StackRoleCase[] {
  const view = stackView(stacks);
  const app = stacks.app;
  const account = app.sample.account;
  const arn = (logicalId: string, attribute = 'Arn') =>
    resource(app, logicalId).attributes[attribute]!;
  const streamArn = arn('ReadingStream');
  const queueArn = arn('DeadLetterQueue');
  const detectorLogGroup = resource(app, 'DetectorLogGroup').arns;
  const flowLogGroup = resource(app, 'VpcFlowLogGroup').arns;
  const failedBatches = arn('FailedBatchBucket');
  const failedBatchKey =
    'aws/lambda/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/shardId-000000000000/2026/11/27/2026-11-27T10.00.00-4a5b6c7d-0000-4000-8000-0a1b2c3d4e5f';
  // The stack's key, used by Kinesis, SNS, SQS and S3 on a role's behalf (service-kms.test.ts).
  const keyArn = resourcesOfType(app, 'AWS::KMS::Key')[0]!.attributes.Arn!;
  const throughKey = (actions: string[], service: string, context: Record<string, string>) =>
    actions.map((action): [string, IamRequest] => {
      const request = {
        action,
        resource: keyArn,
        context: { 'kms:ViaService': `${service}.${app.sample.region}.amazonaws.com`, ...context },
      };
      return [label(request), request];
    });
  const revision = `arn:aws:s3:::${app.outputs.ArtifactBucketName!}/codedeploy/anomaly-detection-producer/0a1b2c.zip`;

  /** The alarms the Lambda deployment group watches (CodeDeploy reads them as the service role). */
  function releaseAlarms(): string[] {
    const names = resourcesOfType(app, 'AWS::CodeDeploy::DeploymentGroup').flatMap(
      (group) =>
        (group.properties as { AlarmConfiguration?: { Alarms?: { Name: string }[] } })
          .AlarmConfiguration?.Alarms ?? [],
    );
    const arns = names.map(
      ({ Name }) =>
        resourcesOfType(app, 'AWS::CloudWatch::Alarm').find((alarm) => alarm.ref === Name)!
          .attributes.Arn!,
    );
    if (arns.length === 0) throw new Error('the Lambda deployment group watches no alarm');
    return arns;
  }

  const fromCode = (folder: string): [string, IamRequest][] =>
    sdkCallsIn([folder]).flatMap((call) =>
      requestsFor(view, call).map((request): [string, IamRequest] => [
        `${call.service}:${call.operation} → ${label(request)}`,
        request,
      ]),
    );
  const each = (actions: string[], target: string): [string, IamRequest][] =>
    actions.map((action) => [label({ action, resource: target }), { action, resource: target }]);

  return [
    {
      role: 'DetectorRole',
      allowed: [
        ...fromCode('lambda/src'),
        // The event source mapping reads the stream as the function's role.
        ...each(
          [
            'kinesis:GetRecords',
            'kinesis:GetShardIterator',
            'kinesis:DescribeStream',
            'kinesis:DescribeStreamSummary',
            'kinesis:ListShards',
          ],
          streamArn,
        ),
        // Lambda writes the function's logs as its role.
        ...each(['logs:CreateLogStream', 'logs:PutLogEvents'], detectorLogGroup[1]!),
        ...each(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], '*'),
        // The function's dead-letter queue.
        ...each(['sqs:SendMessage'], queueArn),
        // The mapping's on-failure destination: Lambda writes each failed batch as the function's role.
        ...each(['s3:ListBucket'], failedBatches),
        ...each(['s3:PutObject'], `${failedBatches}/${failedBatchKey}`),
        ...throughKey(['kms:Decrypt'], 'kinesis', {
          'kms:EncryptionContext:aws:kinesis:arn': streamArn,
        }),
        ...throughKey(['kms:GenerateDataKey', 'kms:Decrypt'], 'sns', {
          'kms:EncryptionContext:aws:sns:topicArn': view.topicArns[0]!,
        }),
        ...throughKey(['kms:GenerateDataKey', 'kms:Decrypt'], 'sqs', {
          'kms:EncryptionContext:aws:sqs:arn': queueArn,
        }),
        // With an S3 Bucket Key the encryption context is the bucket's ARN, not the object's.
        ...throughKey(['kms:GenerateDataKey'], 's3', {
          'kms:EncryptionContext:aws:s3:arn': failedBatches,
        }),
      ],
      denied: [
        ...each(['dynamodb:DeleteTable', 'dynamodb:Scan'], arn('AnomalyTable')),
        ...each(['kinesis:PutRecords'], streamArn),
        ...each(['sqs:ReceiveMessage', 'sqs:DeleteMessage'], queueArn),
        ...each(['s3:GetObject', 's3:DeleteObject'], `${failedBatches}/${failedBatchKey}`),
        ...each(
          ['s3:PutObject'],
          `${arn('ArtifactBucket')}/lambda/m03p02_anomaly_detector/0a1b2c.zip`,
        ),
        ...each(['logs:PutLogEvents'], flowLogGroup[1]!),
        ...each(['sns:Publish'], `arn:aws:sns:us-east-1:${account}:payments-alerts`),
        ...each(['iam:PassRole'], stacks.executionRole.arn),
      ],
    },
    {
      role: 'ProducerRole',
      allowed: [
        ...fromCode('producer/src'),
        // Kinesis encrypts the readings it puts with the stack's key.
        ...throughKey(['kms:GenerateDataKey'], 'kinesis', {
          'kms:EncryptionContext:aws:kinesis:arn': streamArn,
        }),
        // The CodeDeploy agent fetches revisions with the instance's role.
        ...each(['s3:GetObject'], revision),
        // Session Manager (the instance has no inbound access).
        ...each(
          ['ssm:UpdateInstanceInformation'],
          `arn:aws:ec2:us-east-1:${account}:instance/i-0123456789abcdef0`,
        ),
        ...each(
          [
            'ssmmessages:CreateControlChannel',
            'ssmmessages:OpenDataChannel',
            'ec2messages:GetMessages',
          ],
          '*',
        ),
      ],
      denied: [
        ...each(
          ['ssm:GetParameter', 'ssm:GetParameters'],
          `arn:aws:ssm:us-east-1:${account}:parameter/payments/db-password`,
        ),
        ...each(
          ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:Scan'],
          arn('AnomalyTable'),
        ),
        ...each(['kinesis:GetRecords'], streamArn),
        ...each(
          ['s3:GetObject'],
          `arn:aws:s3:::${app.outputs.ArtifactBucketName!}/lambda/m03p02_anomaly_detector/0a1b2c.zip`,
        ),
        ...each(['s3:PutObject'], revision),
        ...each(['sns:Publish'], view.topicArns[0]!),
      ],
    },
    {
      role: 'CodeDeployServiceRole',
      allowed: [
        // CodeDeploy finds the instances by tag.
        ...each(['ec2:DescribeInstances', 'ec2:DescribeInstanceStatus', 'tag:GetResources'], '*'),
        // A Lambda deployment moves the alias's weights (asked on the function and on the alias;
        // its lambda:GetProvisionedConcurrencyConfig, granted too, is not asked: the evaluator
        // cannot tell an alias ARN from a version ARN, the action's only resource types)…
        ...[arn('DetectorFunction'), resource(app, 'DetectorAlias').ref].flatMap((target) =>
          each(['lambda:GetAlias', 'lambda:UpdateAlias'], target),
        ),
        // …and polls the alarms of its deployment group, which roll it back.
        ...releaseAlarms().flatMap((alarm) => each(['cloudwatch:DescribeAlarms'], alarm)),
      ],
      denied: [
        ...each(
          ['lambda:UpdateAlias'],
          `arn:aws:lambda:us-east-1:${account}:function:payments-api`,
        ),
        ...each(['lambda:InvokeFunction', 'lambda:UpdateFunctionCode'], arn('DetectorFunction')),
        ...each(
          ['ec2:TerminateInstances'],
          `arn:aws:ec2:us-east-1:${account}:instance/i-0123456789abcdef0`,
        ),
        ...each(['s3:GetObject'], revision),
        ...each(['iam:PassRole'], arn('ProducerRole')),
      ],
    },
    {
      role: 'VpcFlowLogRole',
      allowed: [
        ...each(['logs:CreateLogStream', 'logs:PutLogEvents'], flowLogGroup[1]!),
        ...each(['logs:DescribeLogStreams'], flowLogGroup[0]!),
      ],
      denied: each(['logs:PutLogEvents'], detectorLogGroup[1]!),
    },
  ];
}
