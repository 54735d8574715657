import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeBackupCommand,
  DynamoDBClient,
  ListTablesCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { KinesisClient, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { STATE_SORT_KEY, isReadingItem, stateFromItem } from '../../lambda/src/device-state';
import { receiveAll } from '../support/aws';
import { motoEndpoint } from '../support/emulator';
import { isMutating } from '../../local-pipeline/emulator/fault-proxy';
import { LOCAL_VARS, LocalEnvironment } from '../../local-pipeline/local-environment';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { runJob, type JobRun } from '../../local-pipeline/workflows/workflow-runner';
import { toolEnvironment } from '../../local-pipeline/emulator/tools';

let local: LocalEnvironment;
let inbox: string;
const stepOf = (run: JobRun, id: string) => run.steps.find((step) => step.id === id);

const receiveAllFrom = (queueUrl: string) =>
  receiveAll(new SQSClient(local.clientConfig()), queueUrl);

beforeAll(async () => {
  local = await LocalEnvironment.start(motoEndpoint());
});

afterAll(async () => {
  await local.stop();
});

describe('the three workflows, end to end, on the emulator', () => {
  it('pull request: the static-checks job lints the real template and passes every scanner', async () => {
    const run = await runJob({
      workflow: 'pr.yml',
      job: 'static-checks',
      eventName: 'pull_request',
      env: toolEnvironment() as Record<string, string>,
    });
    const lint = run.steps.find((step) => step.uses === './actions/cfn-lint');
    expect(lint).toMatchObject({
      status: 'succeeded',
      inputs: { template: 'cloudformation/*.json', 'fail-on': 'informational' },
      outputs: { errors: '0', warnings: '0' },
    });
    expect(run.steps.filter((step) => step.status === 'failed')).toEqual([]);
    expect(run.steps.find((step) => step.name === 'checkov')?.status).toBe('succeeded');
  });

  it('deploy: creates the stack, deploys the detector and ships the producer, wired as deploy.yml says', async () => {
    const run = await local.deploy();
    expect(
      run.steps
        .filter((step) => step.status === 'failed')
        .map((step) => `${step.name}: ${step.reason ?? ''}`),
    ).toEqual([]);
    expect(stepOf(run, 'stack')?.outputs).toMatchObject({
      changed: 'true',
      status: 'CREATE_COMPLETE',
    });
    expect(stepOf(run, 'lambda')?.inputs).toMatchObject({
      'function-name': 'm03p02_anomaly_detector',
      's3-bucket': stepOf(run, 'stack')?.outputs.ArtifactBucketName,
    });
    expect(stepOf(run, 'lambda')?.outputs).toMatchObject({
      changed: 'true',
      version: '2',
      alias: 'live',
      'previous-version': '1',
    });
    expect(stepOf(run, 'producer')?.outputs).toMatchObject({
      changed: 'true',
      status: 'Succeeded',
    });
    const skipped = run.steps.filter((step) => step.status === 'skipped');
    expect(skipped.map((step) => step.reason)).toEqual(
      expect.arrayContaining([
        "credentials are the emulator's dummy keys",
        'the workspace is this clone',
      ]),
    );
    expect(run.steps.at(-1)?.summary).toContain('| Stack | CREATE_COMPLETE | true |');
    local.stopProducerService();
  });

  it('deploy again with nothing changed: every step says unchanged and nothing is changed', async () => {
    local.proxy.clearLog();
    const deployments = local.codedeploy.deployments.length;
    const run = await local.deploy();
    expect(['stack', 'lambda', 'producer'].map((id) => stepOf(run, id)?.outputs.changed)).toEqual([
      'false',
      'false',
      'false',
    ]);
    // The template has an SSM-typed parameter (the AMI), resolved only when CloudFormation deploys,
    // so its change set decides: it finds nothing and nothing is executed. Nothing else is written.
    const changeSetCalls = new Set(['CreateChangeSet', 'DeleteChangeSet']);
    expect(
      local.proxy.requests.filter(
        (request) => isMutating(request) && !changeSetCalls.has(request.operation),
      ),
    ).toEqual([]);
    expect(local.proxy.count('ExecuteChangeSet')).toBe(0);
    expect(local.codedeploy.deployments).toHaveLength(deployments);
  });

  it('readings flow through the detector: anomalies stored, alerted once per device, a poison record dead-lettered', async () => {
    inbox = await local.alertInbox();
    const produced = await local.produce(1500, 0.05, 11);
    expect(produced.nodeVersion).toMatch(/^v22\./);
    const poison = await new KinesisClient(local.clientConfig()).send(
      new PutRecordCommand({
        StreamName: local.stackOutputs.StreamName,
        PartitionKey: 'DHT-001',
        Data: Buffer.from(
          '{"deviceId":"DHT-001","timestamp":"2026-11-21T10:00:00Z","temperature":"hot"}',
        ),
      }),
    );
    const poller = await local.detector();
    await poller.drain();
    expect(produced.sent).toBe(1500);
    // The sensor's readings: the release's pre-traffic check stored its own under its device id.
    const { Items = [] } = await new DynamoDBClient(local.clientConfig()).send(
      new ScanCommand({
        TableName: local.stackOutputs.TableName,
        FilterExpression: 'deviceId = :device',
        ExpressionAttributeValues: { ':device': { S: 'DHT-001' } },
      }),
    );
    const anomalies = Items.filter(isReadingItem);
    expect(anomalies.length).toBeGreaterThan(20);
    const state = stateFromItem(Items.find((item) => item.timestamp?.S === STATE_SORT_KEY) ?? {});
    const excursions = [...state.recent, ...(state.open ? [state.open] : [])];
    expect(excursions.length).toBeGreaterThan(0);
    expect(state.outbox).toBeUndefined();
    const alerts = await receiveAllFrom(inbox);
    const openings = alerts.flatMap((alert) =>
      (alert.Body ?? '').split('\n').filter((line) => line.includes(' excursion began at ')),
    );
    // Every excursion the state remembers was announced once (older ones drop off its list).
    for (const excursion of excursions) {
      expect(
        openings.filter((line) => line.includes(`began at ${excursion.startedAt}:`)),
      ).toHaveLength(1);
    }
    expect(new Set(alerts.map((alert) => alert.MessageAttributes?.deviceId?.StringValue))).toEqual(
      new Set(['DHT-001']),
    );
    const letters = (
      await receiveAllFrom(
        local.stackOutputs.DeadLetterQueueUrl!.replace(
          'https://sqs.us-east-1.amazonaws.com',
          motoEndpoint(),
        ),
      )
    )
      .map(
        (message) =>
          JSON.parse(message.Body ?? '{}') as {
            sequenceNumber: string;
            reason: string;
            eventSourceArn: string;
          },
      )
      // The release's pre-traffic check dead-letters its own poison record (not from the stream).
      .filter((letter) => letter.eventSourceArn === local.stackOutputs.StreamArn);
    expect(letters).toEqual([
      expect.objectContaining({
        sequenceNumber: poison.SequenceNumber,
        reason: 'temperature must be a finite number',
      }),
    ]);
    expect(poller.stats.batchesSentToOnFailure).toBe(0);
  });

  it('a Lambda change and a revision change are redeployed, and the stack is left alone', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'e2e-workspace-'));
    try {
      for (const part of [
        'actions',
        'appspec',
        'cloudformation',
        'lambda',
        'producer',
        'sizing',
        'scripts',
        'package.json',
        'licenses-allowed.json',
        '.github',
      ])
        cpSync(join(repoRoot, part), join(workspace, part), { recursive: true });
      symlinkSync(join(repoRoot, 'node_modules'), join(workspace, 'node_modules'));
      appendFileSync(
        join(workspace, 'lambda', 'src', 'handler.ts'),
        "\nexport const deployedBy = 'e2e';\n",
      );
      appendFileSync(
        join(workspace, 'appspec', 'scripts', 'application_start.sh'),
        'log "started by the e2e redeploy"\n',
      );
      const run = await local.deploy(undefined, workspace);
      expect(
        run.steps.filter((step) => step.status === 'failed').map((step) => step.reason),
      ).toEqual([]);
      expect(stepOf(run, 'stack')?.outputs.changed).toBe('false');
      expect(stepOf(run, 'lambda')?.outputs).toMatchObject({ changed: 'true', version: '3' });
      expect(stepOf(run, 'producer')?.outputs).toMatchObject({
        changed: 'true',
        status: 'Succeeded',
      });
      local.stopProducerService();
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('teardown: a wrong confirmation touches nothing; the right one leaves nothing but the table backup', async () => {
    const refused = await local.teardown('anomaly');
    expect(refused.status).toBe('failed');
    const { Stacks = [] } = await new CloudFormationClient(local.clientConfig()).send(
      new DescribeStacksCommand({ StackName: LOCAL_VARS.STACK_NAME }),
    );
    expect(Stacks[0]?.StackStatus).toMatch(/COMPLETE$/);

    await new SQSClient(local.clientConfig()).send(new DeleteQueueCommand({ QueueUrl: inbox }));
    const run = await local.teardown(LOCAL_VARS.STACK_NAME);
    const step = stepOf(run, 'teardown');
    expect(step?.outputs).toMatchObject({ status: 'DELETE_COMPLETE', deleted: 'true' });
    const config = local.clientConfig();
    await expect(
      new S3Client(config).send(
        new HeadBucketCommand({ Bucket: local.stackOutputs.ArtifactBucketName }),
      ),
    ).rejects.toMatchObject({ name: 'NotFound' });
    expect((await new DynamoDBClient(config).send(new ListTablesCommand({}))).TableNames).toEqual(
      [],
    );
    expect((await new KinesisClient(config).send(new ListStreamsCommand({}))).StreamNames).toEqual(
      [],
    );
    expect((await new LambdaClient(config).send(new ListFunctionsCommand({}))).Functions).toEqual(
      [],
    );
    expect((await new SNSClient(config).send(new ListTopicsCommand({}))).Topics).toEqual([]);
    expect((await new SQSClient(config).send(new ListQueuesCommand({}))).QueueUrls ?? []).toEqual(
      [],
    );
    const { BackupDescription } = await new DynamoDBClient(config).send(
      new DescribeBackupCommand({ BackupArn: step?.outputs['backup-arn'] }),
    );
    expect(BackupDescription?.BackupDetails?.BackupStatus).toBe('AVAILABLE');
  });
});
