import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { createStream } from '../support/aws';
import { log, record } from './figures';
import { startKinesisStub, type KinesisStub } from './kinesis-stub';

/** What a child process reports on exit: its own CPU time and peak RSS. */
interface ChildCost {
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly stdout: string;
}

const COST_LINE = /^bench-cost (\{.*\})$/m;

/** Runs `args` in a fresh Node; `prelude` runs first and reports the process' cost on exit. */
function runChild(args: string[], env: Record<string, string>): Promise<ChildCost> {
  const prelude = `process.on('exit', () => require('node:fs').writeSync(2, '\\nbench-cost ' + JSON.stringify({ cpu: process.cpuUsage(), maxRss: process.resourceUsage().maxRSS }) + '\\n'));`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-e', `${prelude}${args[0] ?? ''}`, '--', ...args.slice(1)],
      {
        env: { PATH: process.env.PATH ?? '', ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => {
      const cost = COST_LINE.exec(stderr)?.[1];
      if (code !== 0 || !cost) {
        reject(new Error(`child exited ${String(code)}: ${stderr.slice(-800)}`));
        return;
      }
      const { cpu, maxRss } = JSON.parse(cost) as {
        cpu: { user: number; system: number };
        maxRss: number;
      };
      resolve({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: maxRss / 1024, stdout });
    });
  });
}

interface ProducerRun extends ChildCost {
  readonly summary: {
    sent: number;
    putRecordsCalls: number;
    retriedRecords: number;
    durationMs: number;
  };
}

/** The built producer (producer/dist/index.js) as the instance runs it, at --rate 0. */
async function builtProducer(
  endpoint: string,
  stream: string,
  count: number,
): Promise<ProducerRun> {
  const bundle = JSON.stringify(join(repoRoot, 'producer', 'dist', 'index.js'));
  const flags = ['--stream', stream, '--count', String(count), '--rate', '0', '--seed', '1'];
  const run = await runChild(
    [
      `process.argv = [process.argv[0], ${bundle}, ...process.argv.slice(1)]; require(${bundle});`,
      ...flags,
    ],
    emulatorEnvironment(endpoint),
  );
  const summary = JSON.parse(
    run.stdout.trim().split('\n').at(-1) ?? '{}',
  ) as ProducerRun['summary'];
  return { ...run, summary };
}

/** The baseline: one PutRecord per reading, awaited in turn, with the SDK's own retries. */
export function putRecordLoop(count: number): Promise<void> {
  return putRecordLoopWith(new KinesisClient({ requestHandler: new NodeHttpHandler() }), count);
}

async function putRecordLoopWith(kinesis: KinesisClient, count: number): Promise<void> {
  const start = Date.UTC(2026, 10, 21);
  for (let i = 0; i < count; i += 1) {
    const reading = {
      deviceId: 'DHT-001',
      timestamp: new Date(start + i * 1000).toISOString(),
      temperature: 98.6,
      unit: 'F',
    };
    for (;;) {
      try {
        await kinesis.send(
          new PutRecordCommand({
            StreamName: 'bench-loop',
            PartitionKey: reading.deviceId,
            Data: Buffer.from(JSON.stringify(reading)),
          }),
        );
        break;
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'ProvisionedThroughputExceededException')
          throw error;
      }
    }
  }
}

function loopChild(endpoint: string, count: number): Promise<ChildCost> {
  return runChild(
    [`require(${JSON.stringify(__filename)})`, '--put-record-loop', String(count)],
    emulatorEnvironment(endpoint),
  );
}

/**
 * Cost per reading of `run(count)`, without the process' start-up: two runs of different
 * sizes, and the difference in CPU time and in bytes on the wire divided by the difference
 * in readings.
 */
async function marginalCost(
  stub: KinesisStub,
  small: number,
  large: number,
  run: (count: number) => Promise<ChildCost>,
) {
  const sample = async (count: number) => {
    const bytesBefore = stub.wireBytes();
    const acceptedBefore = stub.accepted;
    const cost = await run(count);
    if (stub.accepted - acceptedBefore !== count)
      throw new Error(
        `the stub acknowledged ${stub.accepted - acceptedBefore} of ${count} readings`,
      );
    return { ...cost, bytes: stub.wireBytes() - bytesBefore };
  };
  const first = await sample(small);
  const second = await sample(large);
  return {
    cpuUsPerReading: ((second.cpuMs - first.cpuMs) * 1000) / (large - small),
    bytesPerReading: (second.bytes - first.bytes) / (large - small),
    large: second,
  };
}

/** Client-side cost per reading against the in-process stub (2 % of records throttled). */
export async function producerCost(): Promise<void> {
  log(
    'Producer CPU and bytes per reading (built producer vs one PutRecord per reading, in-process Kinesis stub, 2 % throttled)…',
  );
  const stub = await startKinesisStub(50);
  try {
    const ours = await marginalCost(stub, 4_000, 24_000, async (count) =>
      builtProducer(stub.endpoint, 'bench-producer', count),
    );
    const loop = await marginalCost(stub, 200, 1_000, (count) => loopChild(stub.endpoint, count));
    record({
      name: 'Producer CPU per reading',
      unit: 'µs',
      value: ours.cpuUsPerReading,
      baseline: loop.cpuUsPerReading,
      baselineName: 'one PutRecord per reading',
      ratio: loop.cpuUsPerReading / ours.cpuUsPerReading,
      target: '≥ 20× less CPU',
      met: loop.cpuUsPerReading / ours.cpuUsPerReading >= 20,
      note: 'client CPU (user + system) of the built producer against an in-process Kinesis stub that throttles 2 % of records; the difference between a 4,000- and a 24,000-reading run, so start-up is not counted',
    });
    record({
      name: 'Producer bytes on the wire per reading',
      unit: 'B',
      value: ours.bytesPerReading,
      baseline: loop.bytesPerReading,
      baselineName: 'one PutRecord per reading',
      ratio: loop.bytesPerReading / ours.bytesPerReading,
      target: 'fewer than the loop',
      met: ours.bytesPerReading < loop.bytesPerReading,
      note: 'HTTP requests and responses both ways, re-sends included',
    });
    record({
      name: 'Producer peak RSS (24,000 readings)',
      unit: 'MB',
      value: ours.large.maxRssMb,
      baseline: undefined,
      baselineName: '',
      ratio: undefined,
      target: '≤ 100 MB',
      met: ours.large.maxRssMb <= 100,
    });
  } finally {
    await stub.stop();
  }
}

/** Readings per second into moto: what the emulator's Python PutRecords handling allows. */
export async function producerIntoMoto(endpoint: string): Promise<void> {
  log(
    'Producer throughput into moto (10,000 readings at --rate 0, against a one-PutRecord loop; bounded by the emulator)…',
  );
  const kinesis = new KinesisClient(testClientConfig(endpoint));
  for (const name of ['bench-producer', 'bench-loop']) await createStream(kinesis, name, 2);
  const run = await builtProducer(endpoint, 'bench-producer', 10_000);
  // The producer's own clock: from its first reading to the last acknowledged (no Node start-up).
  const oursRate = run.summary.sent / (run.summary.durationMs / 1000);
  const loopReadings = 800;
  const started = performance.now();
  await putRecordLoopWith(new KinesisClient(testClientConfig(endpoint)), loopReadings);
  const loopRate = loopReadings / ((performance.now() - started) / 1000);
  record({
    name: 'Producer throughput into moto',
    unit: 'readings/s',
    value: oursRate,
    baseline: loopRate,
    baselineName: 'one PutRecord per reading',
    ratio: oursRate / loopRate,
    target: 'none: moto bounds it',
    met: undefined,
    note: 'bounded by the emulator: moto handles each PutRecords record in Python, so this measures moto more than the producer (the CPU figure above measures the producer)',
  });
  record({
    name: 'PutRecords calls per 10,000 readings',
    unit: 'calls',
    value: (run.summary.putRecordsCalls * 10_000) / run.summary.sent,
    baseline: 10_000,
    baselineName: 'one call per reading',
    ratio: 10_000 / ((run.summary.putRecordsCalls * 10_000) / run.summary.sent),
    target: '20 calls (500 a call)',
    met: (run.summary.putRecordsCalls * 10_000) / run.summary.sent <= 20,
  });
}
