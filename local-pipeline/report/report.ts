import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { STATE_SORT_KEY, isReadingItem, stateFromItem } from '../../lambda/src/device-state';
import type { LocalEnvironment } from '../local-environment';
import { localVars } from '../workflows/local-vars';
import type { Promotion } from '../workflows/promotion';
import type { JobRun } from '../workflows/workflow-runner';
import type { ExcursionLine } from './excursions';
import type { ChartSummary } from './run-chart';
import { CHECK_DEVICE_PREFIX } from '../../actions/lambda-deploy/src/pre-traffic-check';

/**
 * The report of `npm run local`: what the run did, read back from the emulator. Anomalies are
 * the table's reading items; excursions are what the detector keeps on each device's state
 * item (its open excursion and the latest closed ones).
 */

export interface Stage {
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  durationMs: number;
  detail: string;
}

/** deploy.yml leaves the smoke check's device at its default, `smoke-check-<run>-<attempt>`. */
const SMOKE_CHECK_DEVICE_PREFIX = 'smoke-check-';

export interface Report {
  stages: Stage[];
  workflowSteps: { workflow: string; step: string; status: string; note: string }[];
  /** The build's hashes and each environment's job: the same artifacts all along. */
  promotion: Promotion | undefined;
  /** Each environment's figures, in the order of the promotion. */
  environments: EnvironmentReport[];
}

export interface EnvironmentReport {
  environment: string;
  stack: {
    name: string;
    resources: { logicalId: string; type: string; status: string }[];
    outputs: Record<string, string>;
  };
  /** preTrafficChecks: direct invocations of a version; each check dead-letters one poison record. */
  lambda: { version: string; codeSha256: string; preTrafficChecks: number };
  deployment: { id: string; status: string; hooks: { event: string; status: string }[] };
  readings: {
    produced: number;
    byTheService: number;
    /** The known reading staging's smoke check put on the stream (none in production). */
    bySmokeCheck: number;
    inStream: number;
    putRecordsCalls: number;
  };
  detector: { invocations: number; redeliveries: number; batchesSentToOnFailure: number };
  anomalies: { stored: number; byKind: Record<string, number>; byDevice: Record<string, number> };
  excursions: ExcursionLine[];
  alerts: { messages: number };
  deadLettered: number;
  teardown: { status: string; backupArns: string[] } | undefined;
  chart?: ChartSummary;
}

/** The figures of `local`'s current environment, `environment`. */
export async function collectReport(
  local: LocalEnvironment,
  environment: string,
  deploy: JobRun,
  produced: { sent: number; putRecordsCalls: number },
  detector: {
    streamRecords: number;
    invocations: number;
    redeliveries: number;
    batchesSentToOnFailure: number;
  },
  inbox: string,
): Promise<EnvironmentReport> {
  const config = local.clientConfig();
  const outputs = local.stackOutputs;
  const stackName = localVars(environment).STACK_NAME;
  const resources = await stackResources(new CloudFormationClient(config), stackName);
  const { anomalies, excursions, smokeChecks } = await storedResults(
    new DynamoDBClient(config),
    outputs.TableName ?? '',
  );
  const { alertMessages, deadLettered } = await queued(local, inbox);
  const release = released(local, deploy);
  return {
    environment,
    stack: { name: stackName, resources, outputs: { ...outputs } },
    lambda: release.lambda,
    deployment: release.deployment,
    readings: {
      produced: produced.sent,
      byTheService: detector.streamRecords - produced.sent - smokeChecks,
      bySmokeCheck: smokeChecks,
      inStream: detector.streamRecords,
      putRecordsCalls: produced.putRecordsCalls,
    },
    detector: {
      invocations: detector.invocations,
      redeliveries: detector.redeliveries,
      batchesSentToOnFailure: detector.batchesSentToOnFailure,
    },
    anomalies,
    excursions,
    alerts: { messages: alertMessages },
    deadLettered,
    teardown: undefined,
  };
}

/** The alert messages in the test inbox, and the dead-letter queue's length (on the emulator). */
async function queued(
  local: LocalEnvironment,
  inbox: string,
): Promise<{ alertMessages: number; deadLettered: number }> {
  const sqs = new SQSClient(local.clientConfig());
  const alertMessages = await countMessages(sqs, inbox);
  const deadLetterQueue = (local.stackOutputs.DeadLetterQueueUrl ?? '').replace(
    /^https:\/\/sqs\.[^/]+/,
    local.motoEndpoint,
  );
  return { alertMessages, deadLettered: await queueLength(sqs, deadLetterQueue) };
}

/** The Lambda version the deploy workflow published and the last CodeDeploy deployment. */
function released(
  local: LocalEnvironment,
  deploy: JobRun,
): Pick<EnvironmentReport, 'lambda' | 'deployment'> {
  const lambda = deploy.steps.find((step) => step.id === 'lambda')?.outputs ?? {};
  const deploymentId = deploy.steps.find((step) => step.id === 'producer')?.outputs[
    'deployment-id'
  ];
  const deployment = local.codedeploy.deployments.find((d) => d.id === deploymentId);
  // Each environment's pre-traffic checks invoke its own function (by name or by ARN).
  const functionName = local.stackOutputs.FunctionName ?? '';
  const ofFunction = (name: string) =>
    name === functionName || name.endsWith(`:function:${functionName}`);
  return {
    lambda: {
      version: lambda.version ?? '',
      codeSha256: lambda['code-sha256'] ?? '',
      preTrafficChecks: local.lambda.invocations.filter(
        (call) => /^\d+$/.test(call.qualifier) && ofFunction(call.functionName),
      ).length,
    },
    deployment: {
      id: deployment?.id ?? '',
      status: deployment?.status ?? '',
      hooks: (deployment?.events ?? []).map((event) => ({
        event: event.lifecycleEventName,
        status: event.status,
      })),
    },
  };
}

async function stackResources(cloudformation: CloudFormationClient, stackName: string) {
  const { StackResourceSummaries = [] } = await cloudformation.send(
    new ListStackResourcesCommand({ StackName: stackName }),
  );
  // moto lists the resource types it does not model without ids; they are left out.
  return StackResourceSummaries.filter((resource) => resource.LogicalResourceId).map(
    (resource) => ({
      logicalId: resource.LogicalResourceId ?? '',
      type: resource.ResourceType ?? '',
      status: resource.ResourceStatus ?? '',
    }),
  );
}

/** The table's anomaly items, counted, and the excursions on its device state items. */
async function storedResults(
  dynamo: DynamoDBClient,
  table: string,
): Promise<Pick<EnvironmentReport, 'anomalies' | 'excursions'> & { smokeChecks: number }> {
  // The release's pre-traffic check and the smoke check write under their own devices: no
  // sensor's readings.
  const scanned = await scanAll(dynamo, table);
  const isCheck = (prefix: string) => (item: Record<string, AttributeValue>) =>
    item.deviceId?.S?.startsWith(prefix) === true;
  const smokeChecks = scanned
    .filter(isCheck(SMOKE_CHECK_DEVICE_PREFIX))
    .filter((item) => item.timestamp?.S !== STATE_SORT_KEY).length;
  const allItems = scanned.filter(
    (item) => !isCheck(CHECK_DEVICE_PREFIX)(item) && !isCheck(SMOKE_CHECK_DEVICE_PREFIX)(item),
  );
  const items = allItems.filter(isReadingItem);
  const count = (key: 'anomaly' | 'deviceId') =>
    items.reduce<Record<string, number>>((counts, item) => {
      const value = item[key]?.S ?? '?';
      counts[value] = (counts[value] ?? 0) + 1;
      return counts;
    }, {});
  return {
    smokeChecks,
    anomalies: { stored: items.length, byKind: count('anomaly'), byDevice: count('deviceId') },
    excursions: allItems
      .filter((item) => item.timestamp?.S === STATE_SORT_KEY)
      .flatMap((item) => excursionLines(item)),
  };
}

/** A device's excursions, closed ones first, in the order they began. */
function excursionLines(item: Record<string, AttributeValue>): ExcursionLine[] {
  const state = stateFromItem(item);
  const closed = state.recent.map((excursion) => ({
    deviceId: state.deviceId,
    kind: excursion.kind,
    start: excursion.startedAt,
    end: excursion.endedAt,
    peakF: excursion.peakF,
    anomalousReadings: excursion.count,
  }));
  const open = state.open
    ? [
        {
          deviceId: state.deviceId,
          kind: state.open.kind,
          start: state.open.startedAt,
          end: undefined,
          peakF: state.open.peakF,
          anomalousReadings: state.open.count,
        },
      ]
    : [];
  return [...closed, ...open];
}

async function scanAll(
  dynamo: DynamoDBClient,
  table: string,
): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function countMessages(sqs: SQSClient, queueUrl: string): Promise<number> {
  let total = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 600,
      }),
    );
    if (Messages.length === 0) return total;
    total += Messages.length;
  }
}

async function queueLength(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
}
