import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deterministicZip } from '../../actions/shared/zip';
import { emulatorEnvironment } from '../../local-pipeline/emulator/clients';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { createDetectorResources } from '../support/detector-resources';
import { eventOf, readingJson } from '../lambda/events';
import { log, median, record } from './figures';
import { describeProfile, profileLoad } from './load-profile';

const bundle = join(repoRoot, 'lambda', 'dist', 'index.js');

/** The function's environment (Lambda sets region and credentials the same way). */
const functionEnvironment = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  ANOMALY_TABLE_NAME: 'm03p02_anomaly_data',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:m03p02_anomaly_alerts',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq',
  // The function runs on nodejs22.x, where the SDK warns of nothing; this machine runs Node 20.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const PRINT_CPU = 'process.stdout.write(JSON.stringify(process.cpuUsage()))';

/** One fresh process: wall time around it, and the CPU time it used itself. */
function fresh(script: string, env: Record<string, string> = functionEnvironment) {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`node -e failed: ${result.stderr.slice(-800)}`);
  const cpu = JSON.parse(result.stdout) as { user: number; system: number };
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

export function lambdaZip(): void {
  const zipKb =
    deterministicZip([{ path: 'index.js', data: readFileSync(bundle), executable: false }]).length /
    1024;
  record({
    name: 'Lambda zip size',
    unit: 'KB',
    value: zipKb,
    baseline: undefined,
    baselineName: '',
    ratio: undefined,
    target: '≤ 300 KB',
    met: zipKb <= 300,
  });
}

/** Median of 20 fresh processes that load the bundle, against 20 that load nothing (interleaved). */
export function coldInitialisation(): void {
  log('Lambda cold initialisation (20 fresh processes, interleaved with bare Node)…');
  const bare: { wallMs: number; cpuMs: number }[] = [];
  const loaded: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i < 20; i += 1) {
    bare.push(fresh(PRINT_CPU));
    loaded.push(fresh(`require(${JSON.stringify(bundle)});${PRINT_CPU}`));
  }
  const wall = median(loaded.map((run) => run.wallMs)) - median(bare.map((run) => run.wallMs));
  const cpu = median(loaded.map((run) => run.cpuMs)) - median(bare.map((run) => run.cpuMs));
  const where = profileLoad(bundle, functionEnvironment);
  record({
    name: 'Lambda cold initialisation (wall)',
    unit: 'ms',
    value: wall,
    baseline: median(bare.map((run) => run.wallMs)),
    baselineName: 'bare Node start-up',
    ratio: undefined,
    target: '≤ 50 ms above bare',
    met: wall <= 50,
    note: `fastest of 20: ${Math.round(Math.min(...loaded.map((run) => run.wallMs)) - Math.min(...bare.map((run) => run.wallMs)))} ms above the fastest bare start. CPU profile of one load (ms, profiler overhead included): ${describeProfile(where)}`,
    details: { profileMs: where },
  });
  record({
    name: 'Lambda cold initialisation (CPU time)',
    unit: 'ms',
    value: cpu,
    baseline: median(bare.map((run) => run.cpuMs)),
    baselineName: 'bare Node start-up',
    ratio: undefined,
    target: '≤ 50 ms above bare',
    met: cpu <= 50,
    note: 'the same processes, CPU used by the process itself: steadier than wall time when other work shares the CPU',
  });
}

/**
 * The first invocation after a cold start (clients the start did not build are built now, the
 * first connections open), against the second in the same process. Each batch: five readings
 * of a new device, one of them HOT, so it stores and alerts. Median of five fresh processes.
 */
export async function firstInvocation(endpoint: string): Promise<void> {
  log('Lambda first invocation after a cold start (5 fresh processes, against moto)…');
  const resources = await createDetectorResources(endpoint, 'bench-first-call');
  const env = {
    ...functionEnvironment,
    ...emulatorEnvironment(endpoint),
    ANOMALY_TABLE_NAME: resources.tableName,
    ALERT_TOPIC_ARN: resources.topicArn,
    DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
  };
  const batch = (deviceId: string) =>
    eventOf(
      [98.6, 98.7, 102.4, 98.8, 98.6].map((temperature, i) =>
        readingJson({
          deviceId,
          temperature,
          timestamp: new Date(Date.UTC(2026, 10, 21, 10) + i * 1000).toISOString(),
        }),
      ),
    );
  const firsts: number[] = [];
  const seconds: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const events = JSON.stringify([batch(`FIRST-${i}`), batch(`SECOND-${i}`)]);
    const script = `(async () => {
      const { handler } = require(${JSON.stringify(bundle)});
      const [first, second] = ${events};
      const timed = async (event) => { const started = performance.now(); await handler(event); return performance.now() - started; };
      const firstMs = await timed(first);
      const secondMs = await timed(second);
      require('node:fs').writeSync(2, 'bench-first-call ' + JSON.stringify({ firstMs, secondMs }) + '\\n');
    })().catch((error) => { console.error(error); process.exitCode = 1; });`;
    const result = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
    const line = /bench-first-call (\{.*\})/.exec(result.stderr)?.[1];
    if (result.status !== 0 || !line)
      throw new Error(`first invocation failed: ${result.stderr.slice(-800)}`);
    const { firstMs, secondMs } = JSON.parse(line) as { firstMs: number; secondMs: number };
    firsts.push(firstMs);
    seconds.push(secondMs);
  }
  const first = median(firsts);
  const second = median(seconds);
  record({
    name: 'Lambda first invocation (a batch with an anomaly)',
    unit: 'ms',
    value: first,
    baseline: second,
    baselineName: 'second invocation, same process',
    ratio: undefined,
    target: 'reported (the cost a lazy client moves here)',
    met: undefined,
    note: 'against moto, so both include the emulator’s answer times; the difference is what the first call pays: clients built on first use, first connections',
  });
}
