import { localDriftCheck } from './drift/local-drift';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCTION } from '../bootstrap/src/environments';
import { parseOptions, USAGE, type Options } from './cli-options';
import { LocalEnvironment } from './local-environment';
import { collectReport, type EnvironmentReport, type Report } from './report/report';
import { formatReport } from './report/report-text';
import { chartRun, REPORT_DIR } from './report/run-chart';
import { RunLog, StageFailed } from './report/run-log';
import { localVars } from './workflows/local-vars';
import { LOCAL_APPROVAL, promote, requireSuccess, type PromotionRun } from './workflows/promotion';
import type { KinesisPoller } from './lambda/kinesis-poller';

/**
 * `npm run local`: the whole pipeline on this machine, against the embedded emulator. Runs
 * deploy.yml's promotion (build once, staging with its smoke check, then production with the
 * same artifacts), streams readings into each environment's stack with the built producer, feeds
 * them to the built detector the way the event source mapping would, runs the teardown workflow
 * in each environment, and reports what happened, read back from the emulator.
 */

/** Enough excursions to see in a run of a few thousand readings (the default is a few a day). */
const DEMO_ANOMALY_RATE = 0.005;
/**
 * The producer runs at full speed here, so readings are about a millisecond apart in reading
 * time, not a second: the hold period shrinks with them (about 30 readings instead of 300), or
 * no excursion would ever close within the run.
 */
const DEMO_HOLD_SECONDS = 0.03;

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
  return runAll(options);
}

async function runAll(options: Options): Promise<number> {
  const log = new RunLog();
  let local: LocalEnvironment | undefined;
  // The detector logs one JSON line per invocation to stdout, as in Lambda, whenever it runs
  // (staging's also during the smoke check); here stdout is the report's.
  const print = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr);
  try {
    local = await log.stage(
      'Start the emulator',
      () => LocalEnvironment.start(undefined, options.environments),
      (env) => `moto on ${env.motoEndpoint}, CodeDeploy stand-in on ${env.codedeploy.endpoint}`,
    );
    const { report, text } = await runPipeline(local, options, log);
    // The text report is kept beside the JSON one whichever is printed (--json prints JSON).
    writeFileSync(join(REPORT_DIR, 'report.json'), JSON.stringify(report, null, 2));
    writeFileSync(join(REPORT_DIR, 'report.txt'), text);
    print(options.json ? `${JSON.stringify(report, null, 2)}\n` : text);
    return 0;
  } catch (error) {
    if (!(error instanceof StageFailed)) throw error;
    process.stderr.write(`\nnpm run local failed at stage "${error.message}" (see above).\n`);
    if (options.json)
      print(
        `${JSON.stringify({ stages: log.stages, workflowSteps: log.workflowSteps, failedStage: error.message }, null, 2)}\n`,
      );
    return 1;
  } finally {
    process.stdout.write = print;
    await local?.stop();
  }
}

/** Every stage after the emulator's start: the report (JSON) and its text. */
async function runPipeline(
  local: LocalEnvironment,
  options: Options,
  log: RunLog,
): Promise<{ report: Report; text: string }> {
  const promoted = await deployWorkflow(local, options, log);
  // The validated producer services (one per environment) are stopped so that counts are exact.
  local.stopProducerService();
  const environments: EnvironmentReport[] = [];
  const charts = new Map<string, string>();
  for (const environment of options.environments) {
    const figures = await environmentFigures(local, environment, promoted, options, log);
    environments.push(figures.report);
    charts.set(environment, figures.chart);
  }
  const report: Report = {
    stages: log.stages,
    workflowSteps: log.workflowSteps,
    promotion: promoted.promotion,
    environments,
  };
  return { report, text: `${formatReport(report, charts)}\n` };
}

/** deploy.yml's jobs, each a stage; the production environment's approval is granted here. */
function deployWorkflow(local: LocalEnvironment, options: Options, log: RunLog) {
  const summary = (run: { steps: readonly { status: string }[] }) =>
    `${run.steps.filter((s) => s.status === 'succeeded').length} steps ran, ${run.steps.filter((s) => s.status === 'skipped').length} skipped`;
  return promote(local, options.environments, {
    onStep: (job) => log.onStep(`deploy.yml ${job}`),
    job: (job, body) => log.stage(`Deploy workflow (deploy.yml), job ${job}`, body, summary),
    approve: async (environment) => {
      await log.stage(
        `Approval of the ${environment} environment`,
        () => Promise.resolve(LOCAL_APPROVAL),
        (detail) => detail,
      );
    },
    detector: () => local.detector({ EXCURSION_HOLD_SECONDS: String(DEMO_HOLD_SECONDS) }),
  });
}

/** One environment's readings, detection, figures, chart and teardown. */
async function environmentFigures(
  local: LocalEnvironment,
  environment: string,
  promoted: PromotionRun,
  options: Options,
  log: RunLog,
): Promise<{ report: EnvironmentReport; chart: string }> {
  const named = (stage: string) => `${stage} (${environment})`;
  local.use(environment);
  const inbox = await log.stage(
    named('Subscribe an alert inbox'),
    () => local.alertInbox(),
    () => "an SQS queue receives the topic's alerts (raw delivery)",
  );
  const produced = await log.stage(
    named('Stream readings (built producer)'),
    () => local.produce(options.readings, DEMO_ANOMALY_RATE, 42, options.devices),
    (run) => `${run.sent} readings acknowledged in ${run.putRecordsCalls} PutRecords calls`,
  );
  const poller = await log.stage(
    named('Detect (built Lambda bundle, event-source-mapping poller)'),
    () => detect(local, promoted.detectors.get(environment)),
    (detector) =>
      `${detector.stats.streamRecords} records in ${detector.stats.invocations} invocations, ${detector.stats.redeliveries} redeliveries`,
  );
  const deploy = promoted.runs.get(environment)!;
  const report = await log.stage(
    named('Read the results back from the emulator'),
    () => collectReport(local, environment, deploy, produced, poller.stats, inbox),
    (r) =>
      `${r.anomalies.stored} anomalies stored, ${r.excursions.length} excursion(s), ${r.alerts.messages} alert(s), ${r.deadLettered} dead-lettered`,
  );
  const chart = await log.stage(
    named('Chart the readings'),
    () => chartRun(local, report.excursions, join(REPORT_DIR, environment)),
    (c) => c.summary.svg,
  );
  report.chart = chart.summary;
  const drift = await driftCheck(local, environment, options, log);
  report.teardown = await tearDown(local, environment, options, log);
  return { report, chart: `${drift}${chart.text}` };
}

/** drift.yml's job on production's stack (in sync; with --drift, changed, reverted, in sync). */
async function driftCheck(
  local: LocalEnvironment,
  environment: string,
  options: Options,
  log: RunLog,
): Promise<string> {
  if (environment !== PRODUCTION) return '';
  const drift = await log.stage(
    options.drift ? 'Drift: hand changes, report, revert (drift.yml)' : 'Drift check (drift.yml)',
    () => localDriftCheck(local, options.drift, log.onStep('drift.yml')),
    (check) => `stack ${check.finalStatus}`,
  );
  return `${drift.lines.join('\n')}\n\n`;
}

/** The detector that polled the stream during the job (staging's), or a fresh one. */
async function detect(local: LocalEnvironment, running: KinesisPoller | undefined) {
  const detector =
    running ?? (await local.detector({ EXCURSION_HOLD_SECONDS: String(DEMO_HOLD_SECONDS) }));
  await detector.drain();
  return detector;
}

/** The teardown workflow in `environment`, unless --keep: what it did, for the report. */
async function tearDown(
  local: LocalEnvironment,
  environment: string,
  options: Options,
  log: RunLog,
): Promise<EnvironmentReport['teardown']> {
  const name = `Teardown workflow (teardown.yml) (${environment})`;
  if (options.keep) {
    log.stages.push({ name, status: 'skipped', durationMs: 0, detail: '--keep' });
    return undefined;
  }
  const stackName = localVars(environment).STACK_NAME;
  const teardown = await log.stage(
    name,
    async () =>
      requireSuccess(
        await local.teardown(stackName, log.onStep(`teardown.yml ${environment}`), environment),
        'teardown.yml',
      ),
    (run) => run.steps.find((s) => s.id === 'teardown')?.outputs.status ?? '',
  );
  const step = teardown.steps.find((s) => s.id === 'teardown');
  return {
    status: step?.outputs.status ?? '',
    backupArns: (step?.outputs['backup-arn'] ?? '').split('\n').filter(Boolean),
  };
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
