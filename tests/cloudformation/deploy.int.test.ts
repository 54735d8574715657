import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { testClientConfig } from '../../local-pipeline/emulator/clients';
import { motoEndpoint } from '../support/emulator';
import { repoRoot } from '../../local-pipeline/emulator/tools';

const body = readFileSync(join(repoRoot, 'cloudformation', 'anomaly-detection.json'), 'utf8');

describe('anomaly-detection.json on the emulator', () => {
  it('reaches CREATE_COMPLETE with the supported resources under their configured names', async () => {
    // Prepare
    const config = testClientConfig(motoEndpoint());
    const cloudformation = new CloudFormationClient(config);

    // Act
    await cloudformation.send(
      new CreateStackCommand({
        StackName: 'anomaly-detection',
        TemplateBody: body,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    const { Stacks = [] } = await cloudformation.send(
      new DescribeStacksCommand({ StackName: 'anomaly-detection' }),
    );

    // Assess
    expect(Stacks[0]?.StackStatus).toBe('CREATE_COMPLETE');
    const { StackResourceSummaries = [] } = await cloudformation.send(
      new ListStackResourcesCommand({ StackName: 'anomaly-detection' }),
    );
    expect(
      StackResourceSummaries.filter((resource) => resource.ResourceStatus !== 'CREATE_COMPLETE'),
    ).toEqual([]);
    const stream = await new KinesisClient(config).send(
      new DescribeStreamSummaryCommand({ StreamName: 'm03p02_raw_data_stream' }),
    );
    // (moto does not apply StreamEncryption from a template; the template tests cover it.)
    expect(stream.StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');
    const table = await new DynamoDBClient(config).send(
      new DescribeTableCommand({ TableName: 'm03p02_anomaly_data' }),
    );
    expect(table.Table?.KeySchema).toEqual([
      { AttributeName: 'deviceId', KeyType: 'HASH' },
      { AttributeName: 'timestamp', KeyType: 'RANGE' },
    ]);
    expect(table.Table?.DeletionProtectionEnabled).toBe(true);
    const topic = await new SNSClient(config).send(
      new GetTopicAttributesCommand({
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:m03p02_anomaly_alerts',
      }),
    );
    expect(topic.Attributes?.KmsMasterKeyId).toBeDefined();
    const outputs: Record<string, string | undefined> = Object.fromEntries(
      (Stacks[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]),
    );
    const { Reservations = [] } = await new EC2Client(config).send(
      new DescribeInstancesCommand({ InstanceIds: [outputs.InstanceId!] }),
    );
    const tags = Reservations[0]?.Instances?.[0]?.Tags ?? [];
    expect(tags).toContainEqual({ Key: 'AnomalyStreamName', Value: 'm03p02_raw_data_stream' });
    expect(outputs).toMatchObject({
      StreamName: 'm03p02_raw_data_stream',
      TableName: 'm03p02_anomaly_data',
      FunctionName: 'm03p02_anomaly_detector',
    });
  });
});
