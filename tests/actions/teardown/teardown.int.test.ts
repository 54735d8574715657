import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
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
import { runActionBundle } from '../../../local-pipeline/workflows/action-runner';
import { emulatorEnvironment, testClientConfig } from '../../../local-pipeline/emulator/clients';
import { startFaultProxy, type FaultProxy } from '../../../local-pipeline/emulator/fault-proxy';
import { resetMoto } from '../../../local-pipeline/emulator/moto';
import { motoEndpoint } from '../../support/emulator';

let proxy: FaultProxy;
const stackName = 'anomaly-detection';
const config = () => testClientConfig(motoEndpoint());

const teardown = (inputs: Record<string, string>) =>
  runActionBundle(
    'teardown',
    { 'stack-name': stackName, ...inputs },
    { env: emulatorEnvironment(proxy.endpoint) },
  );

async function stackStatus(): Promise<string | undefined> {
  try {
    const { Stacks = [] } = await new CloudFormationClient(config()).send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    const status = Stacks[0]?.StackStatus;
    return status === 'DELETE_COMPLETE' ? undefined : status;
  } catch {
    return undefined;
  }
}

/** The stack as the deploy workflow leaves it, with object versions, delete markers and a reading. */
async function deployStackWithData(): Promise<string> {
  const deployed = await runActionBundle(
    'cfn-deploy',
    { 'stack-name': stackName },
    { env: emulatorEnvironment(proxy.endpoint) },
  );
  if (deployed.exitCode !== 0) throw new Error(`deploy failed: ${deployed.failure ?? ''}`);
  const bucket = deployed.outputs.ArtifactBucketName ?? '';
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
  proxy.clearLog();
  return bucket;
}

beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
});

afterAll(async () => {
  await proxy.stop();
});

beforeEach(async () => {
  await resetMoto(motoEndpoint());
  proxy.clearLog();
});

describe('teardown, run as the runner runs it, against the emulator', () => {
  it('touches nothing when the confirmation is not the stack name', async () => {
    await deployStackWithData();
    const result = await teardown({ confirm: 'anomaly-detectoin' });
    expect(result.exitCode).toBe(1);
    expect(result.failure).toBe(
      'Input "confirm" must be exactly the stack name "anomaly-detection" (got "anomaly-detectoin"). Nothing was touched.',
    );
    expect(proxy.requests).toEqual([]);
    expect(await stackStatus()).toBe('CREATE_COMPLETE');
  });

  it('rejects a role-arn that is not a role ARN, touching nothing', async () => {
    const result = await teardown({ confirm: stackName, 'role-arn': 'admin' });
    expect(result.exitCode).toBe(1);
    expect(result.failure).toBe(
      'Input "role-arn": "admin" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).',
    );
    expect(proxy.requests).toEqual([]);
  });

  it('backs up the table, empties every version from the bucket and deletes everything, as role-arn', async () => {
    // Prepare
    const bucket = await deployStackWithData();

    // Act
    const result = await teardown({
      confirm: stackName,
      'role-arn': 'arn:aws:iam::123456789012:role/anomaly-detection-cfn-exec',
    });

    // Assess
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toMatchObject({ status: 'DELETE_COMPLETE', deleted: 'true' });
    expect(await stackStatus()).toBeUndefined();
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

  it('deletes a stack a change set left in REVIEW_IN_PROGRESS at once', async () => {
    // Prepare
    await new CloudFormationClient(config()).send(
      new CreateChangeSetCommand({
        StackName: stackName,
        ChangeSetName: 'never-executed',
        ChangeSetType: 'CREATE',
        TemplateBody: '{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}',
      }),
    );
    expect(await stackStatus()).toBe('REVIEW_IN_PROGRESS');

    // Act
    const started = Date.now();
    const result = await teardown({ confirm: stackName, 'timeout-minutes': '5' });

    // Assess
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toMatchObject({ status: 'DELETE_COMPLETE', deleted: 'true' });
    expect(result.summary).toContain('The stack held no resources.');
    expect(await stackStatus()).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('succeeds with nothing to delete when the stack does not exist', async () => {
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
