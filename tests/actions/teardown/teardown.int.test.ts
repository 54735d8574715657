import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeBackupCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { runActionBundle } from '../../../local-pipeline/action-runner';
import { emulatorEnvironment, testClientConfig } from '../../../local-pipeline/clients';
import { motoEndpoint } from '../../support/emulator';
import { startFaultProxy, type FaultProxy } from '../../../local-pipeline/fault-proxy';

let proxy: FaultProxy;
const stackName = 'anomaly-detection';
const config = () => testClientConfig(motoEndpoint());

const teardown = (inputs: Record<string, string>) =>
  runActionBundle(
    'teardown',
    { 'stack-name': stackName, ...inputs },
    { env: emulatorEnvironment(proxy.endpoint) },
  );

async function stackExists(): Promise<boolean> {
  try {
    const { Stacks = [] } = await new CloudFormationClient(config()).send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    return Stacks.some((stack) => stack.StackStatus !== 'DELETE_COMPLETE');
  } catch {
    return false;
  }
}

let bucket: string;

beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
  const deployed = await runActionBundle(
    'cfn-deploy',
    { 'stack-name': stackName },
    { env: emulatorEnvironment(proxy.endpoint) },
  );
  expect(deployed.failure).toBeUndefined();
  bucket = deployed.outputs.ArtifactBucketName!;
  const s3 = new S3Client(config());
  for (const body of ['v1', 'v2', 'v3'])
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'codedeploy/revision.zip', Body: body }),
    );
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'lambda/package.zip', Body: 'zip' }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'lambda/package.zip' }));
  await new DynamoDBClient(config()).send(
    new PutItemCommand({
      TableName: 'm03p02_anomaly_data',
      Item: {
        deviceId: { S: 'DHT-001' },
        timestamp: { S: '2026-11-21T10:00:00.000Z' },
        temperature: { N: '103' },
        anomaly: { S: 'HOT' },
      },
    }),
  );
});

afterAll(async () => {
  await proxy.stop();
});

beforeEach(() => {
  proxy.clearLog();
});

describe('teardown, run as the runner runs it, against the emulator', () => {
  it('touches nothing when the confirmation is not the stack name', async () => {
    const result = await teardown({ confirm: 'anomaly-detectoin' });
    expect(result.exitCode).toBe(1);
    expect(result.failure).toBe(
      'Input "confirm" must be exactly the stack name "anomaly-detection" (got "anomaly-detectoin"). Nothing was touched.',
    );
    expect(proxy.requests).toEqual([]);
    expect(await stackExists()).toBe(true);
  });

  it('backs up the table, empties every version from the bucket and deletes everything', async () => {
    const result = await teardown({ confirm: stackName });
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toMatchObject({ status: 'DELETE_COMPLETE', deleted: 'true' });
    expect(await stackExists()).toBe(false);
    await expect(
      new S3Client(config()).send(new HeadBucketCommand({ Bucket: bucket })),
    ).rejects.toMatchObject({ name: 'NotFound' });
    await expect(
      new DynamoDBClient(config()).send(
        new DescribeTableCommand({ TableName: 'm03p02_anomaly_data' }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const arns = result.outputs['backup-arn']!.split('\n');
    expect(arns).toHaveLength(1);
    const { BackupDescription } = await new DynamoDBClient(config()).send(
      new DescribeBackupCommand({ BackupArn: arns[0] }),
    );
    expect(BackupDescription?.SourceTableDetails?.TableName).toBe('m03p02_anomaly_data');
    expect(result.summary).toContain('### Kept');
    expect(result.summary).toContain('restore-table-from-backup');
  });

  it('succeeds with nothing to delete when the stack is already gone', async () => {
    const result = await teardown({ confirm: stackName });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'NOT_FOUND',
      deleted: 'false',
      'backup-arn': '',
    });
    expect(result.summary).toContain('nothing to delete');
  });
});
