import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { capacityWarning, streamCapacity } from './capacity';
import { parseCommand, USAGE, UsageError, type ProducerConfig } from './config';
import { deviceIds, Fleet } from './fleet';
import {
  KinesisPublisher,
  PublishError,
  type AcknowledgedStats,
  type PublisherStats,
} from './publisher';

export interface ProducerDeps {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly kinesis: KinesisClient;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly now: () => number;
  /** Resolves after `ms`, or early when `stop` fires. */
  readonly sleep: (ms: number, stop?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  /** Fires on SIGTERM/SIGINT. */
  readonly stop: AbortSignal;
  readonly writeStatus: (path: string, content: string) => Promise<void>;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Gap between progress lines on stderr. */
const PROGRESS_EVERY_MS = 10_000;

/** Runs the producer CLI; resolves to the process exit code. */
export async function run(deps: ProducerDeps): Promise<number> {
  let config: ProducerConfig;
  try {
    const command = parseCommand(deps.argv, deps.env, () => Math.floor(deps.random() * 2 ** 31));
    if (command.help) {
      deps.stdout(USAGE);
      return EXIT_OK;
    }
    config = command.config;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    deps.stderr(`producer: ${error.message}\nRun with --help for the options.`);
    return EXIT_USAGE;
  }

  const started = deps.now();
  const fleet = new Fleet(deviceIds(config), config.seed, config.anomalyRate);
  const publisher = publisherFor(deps, config);
  deps.stderr(`producer: ${announcement(config, fleet)}`);
  await warnAboutCapacity(config, fleet, deps);
  try {
    const produced = await produce(config, fleet, publisher, deps);
    await publisher.flush();
    deps.stdout(
      summary(
        config,
        publisher.stats,
        produced,
        deps.now() - started,
        deps.stop.aborted ? 'signal' : 'count',
      ),
    );
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof PublishError)) throw error;
    deps.stderr(`producer: ${error.message}`);
    deps.stdout(
      summary(config, publisher.stats, publisher.stats.sent, deps.now() - started, 'error'),
    );
    return EXIT_FAILURE;
  }
}

/** The batching publisher, its retries paced by the producer's clock and randomness. */
function publisherFor(deps: ProducerDeps, config: ProducerConfig): KinesisPublisher {
  return new KinesisPublisher(deps.kinesis, config.streamName, {
    maxBufferedRecords: 500,
    maxBatchDelayMs: 1000,
    backoffBaseMs: 100,
    backoffCapMs: 5000,
    now: deps.now,
    sleep: (ms) => deps.sleep(ms),
    random: deps.random,
    warn: (message) => {
      deps.stderr(`producer: ${message}`);
    },
    // A single device keeps batching its own readings (docs/decisions.md, "Fleet producer and capacity").
    oneRecordPerKey: fleetSize(config) > 1,
    ...(config.statusFile ? { onAcknowledged: statusWriter(deps, config.statusFile) } : {}),
  });
}

const fleetSize = (config: ProducerConfig) =>
  config.devicePrefix === undefined ? 1 : config.devices;

function announcement(config: ProducerConfig, fleet: Fleet): string {
  const devices =
    fleet.size === 1
      ? (fleet.first ?? config.deviceId)
      : `${fleet.size} devices (${fleet.first ?? ''} to ${fleet.last ?? ''})`;
  const rate =
    config.rate === 0 ? 'full speed' : `${config.rate}/s${fleet.size === 1 ? '' : ' per device'}`;
  return `streaming ${config.count ?? 'unlimited'} readings of ${devices} into ${config.streamName} at ${rate} (seed ${config.seed})`;
}

/** Warns when the stream's shards cannot take the fleet at its rate (never stops the producer). */
async function warnAboutCapacity(config: ProducerConfig, fleet: Fleet, deps: ProducerDeps) {
  if (config.rate === 0) return;
  const capacity = await streamCapacity(deps.kinesis, config.streamName);
  if (typeof capacity === 'string') {
    deps.stderr(`producer: cannot check the stream's capacity (${capacity}); sending anyway`);
    return;
  }
  const recordsPerSecond = fleet.size * config.rate;
  const warning = capacityWarning(
    config.streamName,
    {
      recordsPerSecond,
      bytesPerSecond: recordsPerSecond * fleet.recordBytes,
    },
    capacity,
  );
  if (warning) deps.stderr(`producer: warning: ${warning}`);
}

/** Generates readings at the configured rate until the count is reached or a signal arrives. */
async function produce(
  config: ProducerConfig,
  fleet: Fleet,
  publisher: KinesisPublisher,
  deps: ProducerDeps,
): Promise<number> {
  const interval = config.rate === 0 ? 0 : 1000 / config.rate;
  let produced = 0;
  let nextAt = deps.now();
  let nextProgressAt = deps.now() + PROGRESS_EVERY_MS;
  while (!deps.stop.aborted && (config.count === undefined || produced < config.count)) {
    const reading = fleet.next(deps.now());
    await publisher.add(Buffer.from(JSON.stringify(reading)), reading.deviceId);
    produced += 1;
    if (deps.now() >= nextProgressAt) {
      deps.stderr(
        `producer: ${publisher.stats.sent} readings acknowledged, ${publisher.stats.putRecordsCalls} PutRecords calls`,
      );
      nextProgressAt += PROGRESS_EVERY_MS;
    }
    // A round is one reading of every device; at rate 0 the next one is already due.
    if (fleet.atRoundStart) {
      nextAt += interval;
      const wait = nextAt - deps.now();
      if (wait > 0) await deps.sleep(wait, deps.stop);
    }
    if (publisher.isDue()) await publisher.flush();
  }
  return produced;
}

function statusWriter(deps: ProducerDeps, path: string) {
  return (stats: Readonly<AcknowledgedStats>) =>
    deps.writeStatus(
      path,
      `${JSON.stringify({ lastAcknowledgedAt: new Date(stats.lastAcknowledgedAt).toISOString(), sent: stats.sent })}\n`,
    );
}

function summary(
  config: ProducerConfig,
  stats: Readonly<PublisherStats>,
  produced: number,
  durationMs: number,
  stoppedBy: 'count' | 'signal' | 'error',
): string {
  return JSON.stringify({
    sent: stats.sent,
    putRecordsCalls: stats.putRecordsCalls,
    retriedRecords: stats.retriedRecords,
    produced,
    stream: config.streamName,
    deviceId: config.devicePrefix === undefined ? config.deviceId : undefined,
    devices: fleetSize(config),
    seed: config.seed,
    durationMs,
    stoppedBy,
  });
}
