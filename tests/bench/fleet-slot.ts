import type { KinesisStreamEvent } from 'aws-lambda';
import { createHandler } from '../../lambda/src/detector';
import { createLogger, logTo, withCorrelation } from '../../lambda/src/log';
import { DetectorMetrics, loadMetricsConfig } from '../../lambda/src/metrics';
import { deviceIds, Fleet } from '../../producer/src/fleet';
import { DEFAULT_ANOMALY_RATE } from '../../producer/src/model';
import { size, type Sizing } from '../../sizing/src/size';
import { kinesisEvent, kinesisRecord } from '../lambda/events';
import { stubClients, stubDeps } from './detector';
import { median } from './figures';
import { naiveHandler } from './naive-handler';

export type Handler = (event: KinesisStreamEvent) => Promise<unknown>;
export const FLEET_START = Date.UTC(2026, 10, 21, 8);

/**
 * What one concurrent batch of a fleet's event source mapping sees, as `npm run size` sizes it:
 * its share of the devices, each at 1 Hz, in invocations of one batching window each. Every
 * concurrent batch of the fleet is alike, so its requests, read units and CPU per reading are
 * the fleet's.
 */
export interface Slot {
  readonly sizing: Sizing;
  readonly devices: number;
  readonly batches: TimedBatch[];
  readonly records: number;
}

/** A batch and when Lambda hands it over: its window closed a second after its last reading. */
export interface TimedBatch {
  readonly event: KinesisStreamEvent;
  readonly at: number;
}

/**
 * Readings a slot gets at least (five and a half hours of one device), and each device at least
 * ten minutes of readings, so excursions (30 to 300 readings long) open and close within it.
 */
const SLOT_READINGS = 20_000;
const READINGS_PER_DEVICE = 600;

/** The slot's batches; its devices follow the producer's model at its default anomaly rate. */
export function slotOf(devices: number): Slot {
  const sizing = size(devices, 1);
  const { batching } = sizing;
  const slotDevices = Math.max(1, Math.round(batching.devicesPerBatch));
  const perInvocation = Math.min(
    batching.batchSize,
    Math.round(batching.recordsPerSecondPerBatch * batching.windowSeconds),
  );
  const records = Math.max(SLOT_READINGS, slotDevices * READINGS_PER_DEVICE);
  const fleet = new Fleet(
    deviceIds({ deviceId: 'DHT-001', devices: slotDevices, devicePrefix: 'DHT-' }),
    26,
    DEFAULT_ANOMALY_RATE,
  );
  const readings = Array.from({ length: records }, (_, i) =>
    fleet.next(FLEET_START + Math.floor(i / slotDevices) * 1000),
  );
  const batches: TimedBatch[] = [];
  for (let at = 0; at < readings.length; at += perInvocation) {
    const window = readings.slice(at, at + perInvocation);
    batches.push({
      event: kinesisEvent(window.map((r, i) => kinesisRecord({ ...r }, at + i))),
      at: Date.parse(window.at(-1)?.timestamp ?? '') + 1000,
    });
  }
  return { sizing, devices: slotDevices, batches, records };
}

/**
 * Runs the batches through the handler with stdout silenced (a log line an invocation) and the
 * clock at each batch's time: hours of readings pass in seconds here, and the detector's alert
 * budget counts minutes of its clock, as it would live. Returns the CPU µs used.
 */
export async function invokeAll(handler: Handler, batches: readonly TimedBatch[]): Promise<number> {
  const write = process.stdout.write.bind(process.stdout);
  const now = Date.now.bind(Date);
  process.stdout.write = () => true;
  const started = process.cpuUsage();
  try {
    for (const { event, at } of batches) {
      Date.now = () => at;
      await handler(event);
    }
  } finally {
    process.stdout.write = write;
    Date.now = now;
  }
  const used = process.cpuUsage(started);
  return used.user + used.system;
}

/**
 * The detector as lambda/src/handler.ts wires it (Powertools logger and metrics around
 * createHandler), with AWS answered at once in this process: its own CPU, not the SDK's.
 */
function stubbedDetector(): Handler {
  const logger = createLogger({});
  const metrics = new DetectorMetrics(loadMetricsConfig({}));
  return withCorrelation(
    logger,
    metrics.wrap(createHandler({ ...stubDeps(), log: logTo(logger), counters: metrics })),
  );
}

export interface SlotCpu {
  /** The median round of each. */
  readonly ours: number;
  readonly naive: number;
  /**
   * The lowest round of each, for the record: near an idle machine's figure, as work elsewhere
   * on a shared host only adds time (rounds here swing from 1.3 to 3 µs a reading as it comes
   * and goes). Not the verdict: the two lowest rounds can fall in different quiet spells.
   */
  readonly lowest: { readonly ours: number; readonly naive: number };
}

/** Rounds a CPU figure takes, of which the first warm the JIT up and do not count. */
const CPU_ROUNDS = 15;
const CPU_WARM_UP_ROUNDS = 3;

/**
 * CPU µs per reading of the detector and of the naive per-record handler on the slot's batches,
 * both against in-process stubs, in interleaved rounds (each the whole slot) after a warm-up.
 */
export async function slotCpu(slot: Slot): Promise<SlotCpu> {
  const stubs = stubClients();
  const handlers = {
    ours: stubbedDetector(),
    naive: naiveHandler(stubs.dynamo, stubs.sns, 'anomalies', 'arn:topic'),
  };
  const samples = { ours: [] as number[], naive: [] as number[] };
  for (let round = 0; round < CPU_ROUNDS; round += 1)
    for (const name of ['ours', 'naive'] as const) {
      const used = await invokeAll(handlers[name], slot.batches);
      if (round >= CPU_WARM_UP_ROUNDS) samples[name].push(used / slot.records);
    }
  return {
    ours: median(samples.ours),
    naive: median(samples.naive),
    lowest: { ours: Math.min(...samples.ours), naive: Math.min(...samples.naive) },
  };
}
