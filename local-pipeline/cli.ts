import { parseArgs } from 'node:util';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_VARS, LocalEnvironment } from './local-environment';
import type { JobRun, StepResult } from './workflow-runner';

/**
 * `npm run local`: the whole pipeline on this machine, against the embedded emulator. Runs the
 * deploy workflow's steps (with the inputs deploy.yml gives them), streams readings with the
 * built producer, feeds them to the built detector the way the event source mapping would, then
 * runs the teardown workflow, and reports what happened, read back from the emulator.
 */

const USAGE = `Usage: npm run local -- [options]

Runs the whole pipeline against a local AWS emulator (moto) and prints a report.

Options:
  --readings N   readings the producer sends (default 2000)
  --keep         skip the teardown workflow at the end (the emulator still stops with the run)
  --json         print the report as JSON (for scripts) instead of text
  -h, --help     show this help`;

interface Stage {
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  durationMs: number;
  detail: string;
}

interface Report {
  stages: Stage[];
  stack: {
    name: string;
    resources: { logicalId: string; type: string; status: string }[];
    outputs: Record<string, string>;
  };
  workflowSteps: { workflow: string; step: string; status: string; note: string }[];
  /** preTrafficChecks: direct invocations of a version; each check dead-letters one poison record. */
  lambda: { version: string; codeSha256: string; preTrafficChecks: number };
  deployment: { id: string; status: string; hooks: { event: string; status: string }[] };
  readings: { produced: number; byTheService: number; inStream: number; putRecordsCalls: number };
  detector: { invocations: number; redeliveries: number; batchesSentToOnFailure: number };
  anomalies: { stored: number; byKind: Record<string, number>; byDevice: Record<string, number> };
  alerts: { messages: number };
  deadLettered: number;
  teardown: { status: string; backupArns: string[] } | undefined;
}

class StageFailed extends Error {}

interface Options {
  readonly readings: number;
  readonly keep: boolean;
  readonly json: boolean;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      readings: { type: 'string' },
      keep: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const readings = values.readings === undefined ? 2000 : Number(values.readings);
  if (!Number.isSafeInteger(readings) || readings < 1 || readings > 1_000_000) {
    throw new Error(
      `--readings "${values.readings ?? ''}" must be a whole number from 1 to 1000000`,
    );
  }
  return { readings, keep: values.keep === true, json: values.json === true };
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(
      `npm run local: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`,
    );
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const stages: Stage[] = [];
  const stage = async <T>(
    name: string,
    body: () => Promise<T>,
    describe: (result: T) => string,
  ): Promise<T> => {
    progress(`▶ ${name}…`);
    const started = Date.now();
    try {
      const result = await body();
      const entry: Stage = {
        name,
        status: 'ok',
        durationMs: Date.now() - started,
        detail: describe(result),
      };
      stages.push(entry);
      progress(`✔ ${name} (${(entry.durationMs / 1000).toFixed(1)}s): ${entry.detail}`);
      return result;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      stages.push({ name, status: 'failed', durationMs: Date.now() - started, detail });
      progress(`✖ ${name} failed: ${detail}`);
      throw new StageFailed(name);
    }
  };
  const workflowSteps: Report['workflowSteps'] = [];
  const onStep = (workflow: string) => (step: StepResult) => {
    workflowSteps.push({ workflow, step: step.name, status: step.status, note: step.reason ?? '' });
    progress(
      `    ${step.status === 'succeeded' ? '✔' : step.status === 'skipped' ? '–' : '✖'} ${step.name}${step.reason ? ` (${step.status === 'skipped' ? 'skipped: ' : ''}${step.reason.split('\n')[0] ?? ''})` : ''}`,
    );
  };
  const requireSuccess = (run: JobRun, workflow: string) => {
    const failed = run.steps.find((step) => step.status === 'failed');
    if (failed)
      throw new Error(
        `${workflow} step "${failed.name}" failed: ${(failed.reason ?? '').split('\n')[0] ?? ''}`,
      );
    return run;
  };

  let local: LocalEnvironment | undefined;
  try {
    local = await stage(
      'Start the emulator',
      () => LocalEnvironment.start(),
      (env) => `moto on ${env.motoEndpoint}, CodeDeploy stand-in on ${env.codedeploy.endpoint}`,
    );
    const environment = local;
    const deploy = await stage(
      'Deploy workflow (deploy.yml)',
      async () => requireSuccess(await environment.deploy(onStep('deploy.yml')), 'deploy.yml'),
      (run) =>
        `${run.steps.filter((s) => s.status === 'succeeded').length} steps ran, ${run.steps.filter((s) => s.status === 'skipped').length} skipped`,
    );
    const outputs = environment.stackOutputs;
    const inbox = await stage(
      'Subscribe an alert inbox',
      async () => {
        environment.stopProducerService();
        return environment.alertInbox();
      },
      () =>
        "an SQS queue receives the topic's alerts (raw delivery); the validated producer service was stopped so counts are exact",
    );
    const produced = await stage(
      'Stream readings (built producer)',
      () => environment.produce(options.readings, 0.05, 42),
      (run) => `${run.sent} readings acknowledged in ${run.putRecordsCalls} PutRecords calls`,
    );
    const poller = await stage(
      'Detect (built Lambda bundle, event-source-mapping poller)',
      async () => {
        const detector = await environment.detector();
        // The detector logs one JSON line per invocation to stdout, as in Lambda; here stdout is the report's.
        const write = process.stdout.write.bind(process.stdout);
        process.stdout.write = process.stderr.write.bind(process.stderr);
        try {
          await detector.drain();
        } finally {
          process.stdout.write = write;
        }
        return detector;
      },
      (detector) =>
        `${detector.stats.streamRecords} records in ${detector.stats.invocations} invocations, ${detector.stats.redeliveries} redeliveries`,
    );
    const report = await stage(
      'Read the results back from the emulator',
      () => collectReport(environment, deploy, produced, poller.stats, inbox),
      (r) =>
        `${r.anomalies.stored} anomalies stored, ${r.alerts.messages} alert(s), ${r.deadLettered} dead-lettered`,
    );
    if (options.keep) {
      stages.push({
        name: 'Teardown workflow (teardown.yml)',
        status: 'skipped',
        durationMs: 0,
        detail: '--keep',
      });
    } else {
      const teardown = await stage(
        'Teardown workflow (teardown.yml)',
        async () =>
          requireSuccess(
            await environment.teardown(LOCAL_VARS.STACK_NAME, onStep('teardown.yml')),
            'teardown.yml',
          ),
        (run) => run.steps.find((s) => s.id === 'teardown')?.outputs.status ?? '',
      );
      const step = teardown.steps.find((s) => s.id === 'teardown');
      report.teardown = {
        status: step?.outputs.status ?? '',
        backupArns: (step?.outputs['backup-arn'] ?? '').split('\n').filter(Boolean),
      };
    }
    report.stages = stages;
    report.workflowSteps = workflowSteps;
    process.stdout.write(
      options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, outputs),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof StageFailed)) throw error;
    process.stderr.write(`\nnpm run local failed at stage "${error.message}" (see above).\n`);
    if (options.json)
      process.stdout.write(
        `${JSON.stringify({ stages, workflowSteps, failedStage: error.message }, null, 2)}\n`,
      );
    return 1;
  } finally {
    await local?.stop();
  }
}

async function collectReport(
  local: LocalEnvironment,
  deploy: JobRun,
  produced: { sent: number; putRecordsCalls: number },
  detector: {
    streamRecords: number;
    invocations: number;
    redeliveries: number;
    batchesSentToOnFailure: number;
  },
  inbox: string,
): Promise<Report> {
  const config = local.clientConfig();
  const outputs = local.stackOutputs;
  const { StackResourceSummaries = [] } = await new CloudFormationClient(config).send(
    new ListStackResourcesCommand({ StackName: LOCAL_VARS.STACK_NAME }),
  );
  const items = await scanAll(new DynamoDBClient(config), outputs.TableName ?? '');
  const count = (key: 'anomaly' | 'deviceId') =>
    items.reduce<Record<string, number>>((counts, item) => {
      const value = item[key]?.S ?? '?';
      counts[value] = (counts[value] ?? 0) + 1;
      return counts;
    }, {});
  const sqs = new SQSClient(config);
  const alertMessages = await countMessages(sqs, inbox);
  const dlq = (outputs.DeadLetterQueueUrl ?? '').replace(
    /^https:\/\/sqs\.[^/]+/,
    local.motoEndpoint,
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: dlq,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  const lambda = deploy.steps.find((step) => step.id === 'lambda')?.outputs ?? {};
  const deployment = local.codedeploy.deployments.at(-1);
  return {
    stages: [],
    stack: {
      name: LOCAL_VARS.STACK_NAME,
      // moto lists the resource types it does not model without ids; they are left out.
      resources: StackResourceSummaries.filter((resource) => resource.LogicalResourceId).map(
        (resource) => ({
          logicalId: resource.LogicalResourceId ?? '',
          type: resource.ResourceType ?? '',
          status: resource.ResourceStatus ?? '',
        }),
      ),
      outputs: { ...outputs },
    },
    workflowSteps: [],
    lambda: {
      version: lambda.version ?? '',
      codeSha256: lambda['code-sha256'] ?? '',
      preTrafficChecks: local.lambda.invocations.filter((call) => /^\d+$/.test(call.qualifier))
        .length,
    },
    deployment: {
      id: deployment?.id ?? '',
      status: deployment?.status ?? '',
      hooks: (deployment?.events ?? []).map((event) => ({
        event: event.lifecycleEventName,
        status: event.status,
      })),
    },
    readings: {
      produced: produced.sent,
      byTheService: detector.streamRecords - produced.sent,
      inStream: detector.streamRecords,
      putRecordsCalls: produced.putRecordsCalls,
    },
    detector: {
      invocations: detector.invocations,
      redeliveries: detector.redeliveries,
      batchesSentToOnFailure: detector.batchesSentToOnFailure,
    },
    anomalies: { stored: items.length, byKind: count('anomaly'), byDevice: count('deviceId') },
    alerts: { messages: alertMessages },
    deadLettered: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
    teardown: undefined,
  };
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

function formatReport(report: Report, outputs: Record<string, string>): string {
  const rows = (pairs: [string, string | number][]) =>
    pairs.map(([key, value]) => `  ${key.padEnd(34)} ${String(value)}`).join('\n');
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
  return [
    '',
    '═══ Local pipeline report ═══',
    '',
    'Stages',
    ...report.stages.map(
      (s) =>
        `  ${s.status === 'ok' ? '✔' : s.status === 'skipped' ? '–' : '✖'} ${s.name.padEnd(58)} ${seconds(s.durationMs).padStart(7)}  ${s.detail}`,
    ),
    '',
    'Workflow steps',
    ...report.workflowSteps.map(
      (s) =>
        `  ${s.status.padEnd(9)} ${s.workflow.padEnd(13)} ${s.step}${s.note ? `  (${s.note.split('\n')[0] ?? ''})` : ''}`,
    ),
    '',
    `Stack ${report.stack.name}: ${report.stack.resources.length} resources`,
    ...report.stack.resources.map(
      (r) => `  ${r.logicalId.padEnd(30)} ${r.type.padEnd(40)} ${r.status}`,
    ),
    '',
    'Stack outputs',
    rows(Object.entries(outputs)),
    '',
    'Results',
    rows([
      ['Lambda version', `${report.lambda.version} (CodeSha256 ${report.lambda.codeSha256})`],
      ['CodeDeploy deployment', `${report.deployment.id} ${report.deployment.status}`],
      ['  hooks', report.deployment.hooks.map((hook) => `${hook.event}:${hook.status}`).join(' ')],
      [
        'Readings produced (producer run)',
        `${report.readings.produced} in ${report.readings.putRecordsCalls} PutRecords calls`,
      ],
      ['Readings by the validated service', report.readings.byTheService],
      ['Records in the stream', report.readings.inStream],
      [
        'Detector invocations',
        `${report.detector.invocations} (${report.detector.redeliveries} redeliveries, ${report.detector.batchesSentToOnFailure} batches to on-failure)`,
      ],
      ['Anomalies stored', report.anomalies.stored],
      [
        '  by kind',
        Object.entries(report.anomalies.byKind)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ],
      [
        '  by device',
        Object.entries(report.anomalies.byDevice)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ],
      ['Alert messages sent', report.alerts.messages],
      [
        'Records dead-lettered',
        `${report.deadLettered} (${report.lambda.preTrafficChecks} by the release's pre-traffic check)`,
      ],
      [
        'Teardown',
        report.teardown
          ? `${report.teardown.status}; kept backup ${report.teardown.backupArns.join(', ')}`
          : 'skipped (--keep)',
      ],
    ]),
    '',
  ].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `npm run local: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
