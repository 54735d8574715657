import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createStream, readStream } from '../support/aws';
import { emulatorEnvironment, testClientConfig } from '../../local-pipeline/emulator/clients';
import { motoEndpoint } from '../support/emulator';
import { startFaultProxy, type FaultProxy } from '../../local-pipeline/emulator/fault-proxy';
import { repoRoot } from '../../local-pipeline/emulator/tools';

// The built producer in fleet mode, run as the instance runs it, against the emulator.
const bundle = join(repoRoot, 'producer', 'dist', 'index.js');
let proxy: FaultProxy;
let kinesis: KinesisClient;

async function runProducer(args: string[]) {
  const child = spawn(process.execPath, [bundle, ...args], {
    env: { PATH: process.env.PATH ?? '', ...emulatorEnvironment(proxy.endpoint) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line));
  child.stderr.resume();
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, summary: JSON.parse(stdout.at(-1) ?? '{}') as Record<string, unknown> };
}

/** Each device's timestamps in the order its shard holds them. */
function timestampsByDevice(data: string[]): Map<string, string[]> {
  const byDevice = new Map<string, string[]>();
  for (const text of data) {
    const reading = JSON.parse(text) as { deviceId: string; timestamp: string };
    byDevice.set(reading.deviceId, [...(byDevice.get(reading.deviceId) ?? []), reading.timestamp]);
  }
  return byDevice;
}

function expectInOrder(byDevice: Map<string, string[]>): void {
  const outOfOrder = [...byDevice].filter(([, stamps]) =>
    stamps.some((stamp, i) => i > 0 && stamp <= stamps[i - 1]!),
  );
  expect(outOfOrder.map(([device]) => device)).toEqual([]);
}

beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint(), 11);
  kinesis = new KinesisClient(testClientConfig(motoEndpoint()));
});

afterAll(async () => {
  await proxy.stop();
});

beforeEach(() => {
  proxy.clearFaults();
  proxy.clearLog();
});

describe('producer fleet mode against the emulator', () => {
  it('puts 20,000 readings of 1,000 devices in at most 40 PutRecords calls, each device in order', async () => {
    // Prepare
    await createStream(kinesis, 'fleet-1000', 4);

    // Act
    const result = await runProducer([
      '--stream',
      'fleet-1000',
      '--devices',
      '1000',
      '--count',
      '20000',
      '--rate',
      '0',
      '--seed',
      '6',
    ]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.summary).toMatchObject({ sent: 20000, devices: 1000, retriedRecords: 0 });
    expect(proxy.count('PutRecords', 'kinesis')).toBeLessThanOrEqual(40);
    const byDevice = timestampsByDevice(await readStream(kinesis, 'fleet-1000'));
    expect(byDevice.size).toBe(1000);
    expect([...byDevice.values()].every((stamps) => stamps.length === 20)).toBe(true);
    expectInOrder(byDevice);
  });

  it('keeps each device in order and loses nothing when 30 % of every call fails', async () => {
    // Prepare
    await createStream(kinesis, 'fleet-partial', 2);
    proxy.inject({ operation: 'PutRecords', fault: 'partial', entryShare: 0.3 });

    // Act
    const result = await runProducer([
      '--stream',
      'fleet-partial',
      '--devices',
      '200',
      '--count',
      '4000',
      '--rate',
      '0',
      '--seed',
      '7',
    ]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.summary.sent).toBe(4000);
    expect(result.summary.retriedRecords).toBeGreaterThan(1000);
    const data = await readStream(kinesis, 'fleet-partial');
    expect(data).toHaveLength(4000);
    const byDevice = timestampsByDevice(data);
    expect(byDevice.size).toBe(200);
    expectInOrder(byDevice);
  });
});
