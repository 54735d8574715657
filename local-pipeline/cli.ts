import { parseArgs } from 'node:util';
import { localDriftCheck } from './drift/local-drift';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOCAL_VARS, LocalEnvironment } from './local-environment';
import { collectReport, type Report, type Stage } from './report/report';
import { formatReport } from './report/report-text';
import { chartRun } from './report/run-chart';
import type { JobRun, StepResult } from './workflows/workflow-runner';

/**
 * `npm run local`: the whole pipeline on this machine, against the embedded emulator. Runs the
 * deploy workflow's steps (with the inputs deploy.yml gives them), streams readings with the
 * built producer, feeds them to the built detector the way the event source mapping would, then
 * runs the teardown workflow, and reports what happened, read back from the emulator.
 */

const USAGE = `Usage: npm run local -- [options]

Runs the whole pipeline against a local AWS emulator (moto) and prints a report.

Options:
  --readings N   readings the producer sends, of all devices together (default 2000)
  --devices N    devices the producer streams, 1-500 (default 1)
  --drift        change two properties behind the stack's back, then report and revert the drift
  --keep         skip the teardown workflow at the end (the emulator still stops with the run)
  --json         print the report as JSON (for scripts) instead of text
  -h, --help     show this help`;

class StageFailed extends Error {}

/** Enough excursions to see in a run of a few thousand readings (the default is a few a day). */
const DEMO_ANOMALY_RATE = 0.005;
/**
 * The producer runs at full speed here, so readings are about a millisecond apart in reading
 * time, not a second: the hold period shrinks with them (about 30 readings instead of 300), or
 * no excursion would ever close within the run.
 */
const DEMO_HOLD_SECONDS = 0.03;

interface Options {
  readonly readings: number;
  readonly devices: number;
  readonly keep: boolean;
  readonly json: boolean;
  readonly drift: boolean;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      readings: { type: 'string' },
      devices: { type: 'string' },
      keep: { type: 'boolean' },
      json: { type: 'boolean' },
      drift: { type: 'boolean' },
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
  const devices = values.devices === undefined ? 1 : Number(values.devices);
  // The chart has a row per device: a few hundred still read; the producer takes 100,000.
  if (!/^\d+$/.test(values.devices ?? '1') || devices < 1 || devices > 500) {
    throw new Error(`--devices "${values.devices ?? ''}" must be a whole number from 1 to 500`);
  }
  return {
    readings,
    devices,
    keep: values.keep === true,
    json: values.json === true,
    drift: values.drift === true,
  };
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** What the run did so far, stage by stage and workflow step by step, shown as it happens. */
class RunLog {
  readonly stages: Stage[] = [];
  readonly workflowSteps: Report['workflowSteps'] = [];

  async stage<T>(
    name: string,
    body: () => Promise<T>,
    describe: (result: T) => string,
  ): Promise<T> {
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
      this.stages.push(entry);
      progress(`✔ ${name} (${(entry.durationMs / 1000).toFixed(1)}s): ${entry.detail}`);
      return result;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.stages.push({ name, status: 'failed', durationMs: Date.now() - started, detail });
      progress(`✖ ${name} failed: ${detail}`);
      throw new StageFailed(name);
    }
  }

  onStep(workflow: string): (step: StepResult) => void {
    return (step) => {
      this.workflowSteps.push({
        workflow,
        step: step.name,
        status: step.status,
        note: step.reason ?? '',
      });
      progress(
        `    ${step.status === 'succeeded' ? '✔' : step.status === 'skipped' ? '–' : '✖'} ${step.name}${step.reason ? ` (${step.status === 'skipped' ? 'skipped: ' : ''}${step.reason.split('\n')[0] ?? ''})` : ''}`,
      );
    };
  }
}

function requireSuccess(run: JobRun, workflow: string): JobRun {
  const failed = run.steps.find((step) => step.status === 'failed');
  if (failed)
    throw new Error(
      `${workflow} step "${failed.name}" failed: ${(failed.reason ?? '').split('\n')[0] ?? ''}`,
    );
  return run;
}

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

  const log = new RunLog();
  let local: LocalEnvironment | undefined;
  try {
    local = await log.stage(
      'Start the emulator',
      () => LocalEnvironment.start(),
      (env) => `moto on ${env.motoEndpoint}, CodeDeploy stand-in on ${env.codedeploy.endpoint}`,
    );
    const { report, text } = await runPipeline(local, options, log);
    // The text report is kept beside the JSON one whichever is printed (--json prints JSON).
    const directory = dirname(report.chart!.svg);
    writeFileSync(join(directory, 'report.json'), JSON.stringify(report, null, 2));
    writeFileSync(join(directory, 'report.txt'), text);
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : text);
    return 0;
  } catch (error) {
    if (!(error instanceof StageFailed)) throw error;
    process.stderr.write(`\nnpm run local failed at stage "${error.message}" (see above).\n`);
    if (options.json)
      process.stdout.write(
        `${JSON.stringify({ stages: log.stages, workflowSteps: log.workflowSteps, failedStage: error.message }, null, 2)}\n`,
      );
    return 1;
  } finally {
    await local?.stop();
  }
}

/** Every stage after the emulator's start: the report (JSON) and its text. */
async function runPipeline(
  environment: LocalEnvironment,
  options: Options,
  log: RunLog,
): Promise<{ report: Report; text: string }> {
  const { deploy, inbox, produced, poller } = await deployAndDetect(environment, options, log);
  const outputs = environment.stackOutputs;
  const report = await log.stage(
    'Read the results back from the emulator',
    () => collectReport(environment, deploy, produced, poller.stats, inbox),
    (r) =>
      `${r.anomalies.stored} anomalies stored, ${r.excursions.length} excursion(s), ${r.alerts.messages} alert(s), ${r.deadLettered} dead-lettered`,
  );
  const chart = await log.stage(
    'Chart the readings',
    () => chartRun(environment, report.excursions),
    (c) => c.summary.svg,
  );
  report.chart = chart.summary;
  const drift = await log.stage(
    options.drift ? 'Drift: hand changes, report, revert (drift.yml)' : 'Drift check (drift.yml)',
    () => localDriftCheck(environment, options.drift, log.onStep('drift.yml')),
    (check) => `stack ${check.finalStatus}`,
  );
  report.teardown = await tearDown(environment, options, log);
  report.stages = log.stages;
  report.workflowSteps = log.workflowSteps;
  return {
    report,
    text: `${formatReport(report, outputs)}\n${drift.lines.join('\n')}\n\n${chart.text}\n`,
  };
}

/** The deploy workflow, then readings streamed by the producer and fed to the detector. */
async function deployAndDetect(environment: LocalEnvironment, options: Options, log: RunLog) {
  const deploy = await log.stage(
    'Deploy workflow (deploy.yml)',
    async () => requireSuccess(await environment.deploy(log.onStep('deploy.yml')), 'deploy.yml'),
    (run) =>
      `${run.steps.filter((s) => s.status === 'succeeded').length} steps ran, ${run.steps.filter((s) => s.status === 'skipped').length} skipped`,
  );
  const inbox = await log.stage(
    'Subscribe an alert inbox',
    async () => {
      environment.stopProducerService();
      return environment.alertInbox();
    },
    () =>
      "an SQS queue receives the topic's alerts (raw delivery); the validated producer service was stopped so counts are exact",
  );
  const produced = await log.stage(
    'Stream readings (built producer)',
    () => environment.produce(options.readings, DEMO_ANOMALY_RATE, 42, options.devices),
    (run) => `${run.sent} readings acknowledged in ${run.putRecordsCalls} PutRecords calls`,
  );
  const poller = await log.stage(
    'Detect (built Lambda bundle, event-source-mapping poller)',
    () => detect(environment),
    (detector) =>
      `${detector.stats.streamRecords} records in ${detector.stats.invocations} invocations, ${detector.stats.redeliveries} redeliveries`,
  );
  return { deploy, inbox, produced, poller };
}

async function detect(environment: LocalEnvironment) {
  const detector = await environment.detector({
    EXCURSION_HOLD_SECONDS: String(DEMO_HOLD_SECONDS),
  });
  // The detector logs one JSON line per invocation to stdout, as in Lambda; here stdout is the report's.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr);
  try {
    await detector.drain();
  } finally {
    process.stdout.write = write;
  }
  return detector;
}

/** The teardown workflow, unless --keep: what it did, for the report. */
async function tearDown(
  environment: LocalEnvironment,
  options: Options,
  log: RunLog,
): Promise<Report['teardown']> {
  if (options.keep) {
    log.stages.push({
      name: 'Teardown workflow (teardown.yml)',
      status: 'skipped',
      durationMs: 0,
      detail: '--keep',
    });
    return undefined;
  }
  const teardown = await log.stage(
    'Teardown workflow (teardown.yml)',
    async () =>
      requireSuccess(
        await environment.teardown(LOCAL_VARS.STACK_NAME, log.onStep('teardown.yml')),
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
