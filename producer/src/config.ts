import { parseArgs } from 'node:util';
import { DEFAULT_ANOMALY_RATE } from './model';

/** A flag or variable the user can fix; the CLI exits 2 with this message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ProducerConfig {
  readonly streamName: string;
  readonly deviceId: string;
  /** Stop after this many acknowledged readings; undefined: run until stopped. */
  readonly count: number | undefined;
  /** Readings per second; 0: as fast as Kinesis accepts. */
  readonly rate: number;
  readonly seed: number;
  /** Probability (0..1) that a reading starts a cold or fever excursion. */
  readonly anomalyRate: number;
  /** Where to record the last acknowledged batch (read by the ValidateService hook). */
  readonly statusFile: string | undefined;
}

export const USAGE = `Usage: node producer/dist/index.js [options]

Streams body-temperature readings of one device into a Kinesis data stream.

Options (each also read from the environment variable in brackets; flags win):
  --stream NAME          Kinesis stream name [STREAM_NAME] (default m03p02_raw_data_stream)
  --device-id ID         device id, 1-128 characters [DEVICE_ID] (default DHT-001)
  --count N              stop after N acknowledged readings [READING_COUNT] (default: run until stopped)
  --rate PER_SECOND      readings per second, 0 = as fast as Kinesis accepts [READINGS_PER_SECOND] (default 1)
  --seed N               random seed: the same seed gives the same readings [RANDOM_SEED] (default: random)
  --anomaly-rate P       chance 0..1 that a reading starts a cold or fever excursion [ANOMALY_RATE]
                         (default ${DEFAULT_ANOMALY_RATE}: about four a day at 1 reading/s; 0.005 for a demonstration)
  --status-file PATH     write the last acknowledged batch here [STATUS_FILE]
  -h, --help             show this help

Region and credentials come from the standard AWS sources (AWS_REGION, instance profile, ...).
On SIGTERM or SIGINT it sends what it holds and exits 0. Its last line on stdout is a JSON summary.`;

const OPTIONS = {
  stream: { type: 'string', env: 'STREAM_NAME' },
  'device-id': { type: 'string', env: 'DEVICE_ID' },
  count: { type: 'string', env: 'READING_COUNT' },
  rate: { type: 'string', env: 'READINGS_PER_SECOND' },
  seed: { type: 'string', env: 'RANDOM_SEED' },
  'anomaly-rate': { type: 'string', env: 'ANOMALY_RATE' },
  'status-file': { type: 'string', env: 'STATUS_FILE' },
} as const;

type OptionName = keyof typeof OPTIONS;

const STREAM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export type ParsedCommand =
  { readonly help: true } | { readonly help: false; readonly config: ProducerConfig };

type Values = Partial<Record<OptionName | 'help', string | boolean>>;

/** A raw value and where it came from, for error messages. */
type Raw = { value: string; source: string } | undefined;

/** Parses flags and environment (flags win) into a validated configuration. */
export function parseCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  randomSeed: () => number,
): ParsedCommand {
  const values = parseFlags(argv);
  if (values.help === true) return { help: true };
  const read = (name: OptionName): Raw => {
    const flag = values[name];
    if (typeof flag === 'string') return { value: flag, source: `--${name}` };
    const fromEnv = env[OPTIONS[name].env];
    return fromEnv === undefined || fromEnv === ''
      ? undefined
      : { value: fromEnv, source: OPTIONS[name].env };
  };
  return { help: false, config: configOf(read, randomSeed) };
}

function parseFlags(argv: readonly string[]): Values {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(
          Object.keys(OPTIONS).map((name) => [name, { type: 'string' as const }]),
        ),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function configOf(read: (name: OptionName) => Raw, randomSeed: () => number): ProducerConfig {
  const stream = read('stream');
  if (stream && !STREAM_NAME.test(stream.value)) {
    throw new UsageError(
      `${stream.source} "${stream.value}" is not a Kinesis stream name (1-128 of A-Z a-z 0-9 _ . -)`,
    );
  }
  const device = read('device-id');
  if (device && (device.value.trim() === '' || device.value.length > 128)) {
    throw new UsageError(`${device.source} must be 1-128 characters`);
  }
  return {
    streamName: stream?.value ?? 'm03p02_raw_data_stream',
    deviceId: device?.value ?? 'DHT-001',
    count: optionalInteger(read('count'), 1),
    rate: number(
      read('rate'),
      1,
      (value) => value >= 0,
      'a number of readings per second, 0 or more',
    ),
    seed: optionalInteger(read('seed'), 0) ?? randomSeed(),
    anomalyRate: number(
      read('anomaly-rate'),
      DEFAULT_ANOMALY_RATE,
      (value) => value >= 0 && value <= 1,
      'a probability between 0 and 1',
    ),
    statusFile: read('status-file')?.value,
  };
}

function number(
  raw: { value: string; source: string } | undefined,
  fallback: number,
  valid: (value: number) => boolean,
  what: string,
): number {
  if (!raw) return fallback;
  const value = Number(raw.value);
  if (raw.value.trim() === '' || !Number.isFinite(value) || !valid(value)) {
    throw new UsageError(`${raw.source} "${raw.value}" must be ${what}`);
  }
  return value;
}

function optionalInteger(
  raw: { value: string; source: string } | undefined,
  minimum: number,
): number | undefined {
  if (!raw) return undefined;
  const value = Number(raw.value);
  if (!/^\d+$/.test(raw.value.trim()) || !Number.isSafeInteger(value) || value < minimum) {
    throw new UsageError(
      `${raw.source} "${raw.value}" must be a whole number of at least ${minimum}`,
    );
  }
  return value;
}
