import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createStream, readStream } from '../support/aws';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import { motoEndpoint } from '../support/emulator';
import { startFaultProxy, type FaultProxy } from '../../local-pipeline/emulator/fault-proxy';
import { repoRoot } from '../../local-pipeline/emulator/tools';

const bundle = join(repoRoot, 'producer', 'dist', 'index.js');

interface Summary {
  sent: number;
  putRecordsCalls: number;
  retriedRecords: number;
}

let proxy: FaultProxy;
let kinesis: KinesisClient;
let streams = 0;

async function newStream(shards: number): Promise<string> {
  streams += 1;
  const name = `readings-${streams}`;
  await createStream(kinesis, name, shards);
  return name;
}

const readAll = (stream: string) => readStream(kinesis, stream);

/** Runs the built producer exactly as a user would, against the emulator through the proxy. */
function startProducer(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bundle, ...args], {
    env: { PATH: process.env.PATH ?? '', ...emulatorEnvironment(proxy.endpoint), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, stdout, stderr, exited };
}

async function runProducer(args: string[], env: Record<string, string> = {}) {
  const run = startProducer(args, env);
  const code = await run.exited;
  return {
    code,
    stdout: run.stdout,
    stderr: run.stderr.join(''),
    summary: JSON.parse(run.stdout.at(-1) ?? '{}') as Summary,
  };
}

function expectValidDistinctReadings(data: string[], count: number): void {
  const readings = data.map((text) => JSON.parse(text) as Record<string, unknown>);
  for (const reading of readings) {
    expect(reading).toEqual({
      deviceId: 'DHT-001',
      timestamp: expect.stringMatching(/Z$/),
      temperature: expect.any(Number),
      unit: 'F',
    });
  }
  expect(new Set(data).size).toBe(count);
}

beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint(), 7);
  kinesis = new KinesisClient(testClientConfig(motoEndpoint()));
});

afterAll(async () => {
  await proxy.stop();
});

beforeEach(() => {
  proxy.clearFaults();
  proxy.clearLog();
});

describe('producer against the emulator', () => {
  it('puts exactly 5,000 valid readings into a 2-shard stream in at most 10 PutRecords calls', async () => {
    // Prepare
    const stream = await newStream(2);

    // Act
    const result = await runProducer([
      '--stream',
      stream,
      '--count',
      '5000',
      '--rate',
      '0',
      '--seed',
      '3',
    ]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.summary).toMatchObject({ sent: 5000, putRecordsCalls: 10, retriedRecords: 0 });
    expect(proxy.count('PutRecords', 'kinesis')).toBeLessThanOrEqual(10);
    const data = await readAll(stream);
    expect(data).toHaveLength(5000);
    expectValidDistinctReadings(data, 5000);
  });

  it('loses and duplicates nothing when 30 % of the records of every response fail', async () => {
    // Prepare
    const stream = await newStream(2);
    proxy.inject({ operation: 'PutRecords', fault: 'partial', entryShare: 0.3 });

    // Act
    const result = await runProducer([
      '--stream',
      stream,
      '--count',
      '5000',
      '--rate',
      '0',
      '--seed',
      '4',
    ]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.summary.sent).toBe(5000);
    expect(result.summary.retriedRecords).toBeGreaterThan(1500);
    const data = await readAll(stream);
    expect(data).toHaveLength(5000);
    expectValidDistinctReadings(data, 5000);
  });

  it('on SIGTERM sends what it holds, exits 0, and every reading counted as sent is in the stream', async () => {
    // Prepare
    const stream = await newStream(1);
    const run = startProducer(['--stream', stream, '--rate', '400', '--seed', '5']);
    await new Promise<void>((resolve) => {
      const waiter = setInterval(() => {
        if (proxy.count('PutRecords') >= 2) {
          clearInterval(waiter);
          resolve();
        }
      }, 20);
    });

    // Act
    run.child.kill('SIGTERM');
    const code = await run.exited;

    // Assess
    expect(code).toBe(0);
    const summary = JSON.parse(run.stdout.at(-1) ?? '{}') as Summary & { stoppedBy: string };
    expect(summary.stoppedBy).toBe('signal');
    expect(summary.sent).toBeGreaterThan(0);
    const data = await readAll(stream);
    expect(data).toHaveLength(summary.sent);
    expectValidDistinctReadings(data, summary.sent);
  });

  it('fails with exit 1 and a clear message when the stream does not exist', async () => {
    // Act
    const result = await runProducer(['--stream', 'no-such-stream', '--count', '3', '--rate', '0']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /PutRecords to stream "no-such-stream" failed: ResourceNotFoundException/,
    );
    expect(result.summary).toMatchObject({ sent: 0, stoppedBy: 'error' });
  });

  it('rejects a bad variable with exit 2, naming it, before any AWS call', async () => {
    // Act
    const result = await runProducer([], { READING_COUNT: 'lots' });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('READING_COUNT "lots" must be a whole number');
    expect(proxy.requests).toEqual([]);
  });
});
