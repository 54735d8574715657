import { parseArgs } from 'node:util';
import { DEFAULT_ANOMALY_RATE } from './model';

/** A flag or variable the user can fix; the CLI exits 2 with this message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ProducerConfig {
  readonly streamName: string;
  /** The single device's id; with a fleet, `devicePrefix` names the devices instead. */
  readonly deviceId: string;
  /** Devices streamed from this process (1-100,000). */
  readonly devices: number;
  /** Set when the devices are named `<prefix><n>`: always for a fleet, for one device when given. */
  readonly devicePrefix: string | undefined;
  /** Stop after this many acknowledged readings; undefined: run until stopped. */
  readonly count: number | undefined;
  /** Readings per second of each device; 0: as fast as Kinesis accepts. */
  readonly rate: number;
  readonly seed: number;
  /** Probability (0..1) that a reading starts a cold or fever excursion. */
  readonly anomalyRate: number;
  /** Where to record the last acknowledged batch (read by the ValidateService hook). */
  readonly statusFile: string | undefined;
}

export const USAGE = `Usage: node producer/dist/index.js [options]

Streams body-temperature readings of one device, or of a fleet, into a Kinesis data stream.

Options (each also read from the environment variable in brackets; flags win):
  --stream NAME          Kinesis stream name [STREAM_NAME] (default m03p02_raw_data_stream)
  --device-id ID         device id, 1-128 characters [DEVICE_ID] (default DHT-001)
  --devices N            stream N devices, 1-100000 [DEVICE_COUNT] (default 1)
  --device-prefix TEXT   name the devices TEXT001, TEXT002, ... [DEVICE_PREFIX] (default DHT-)
  --count N              stop after N acknowledged readings [READING_COUNT] (of all devices together; default: run until stopped)
  --rate PER_SECOND      readings per second, 0 = as fast as Kinesis accepts [READINGS_PER_SECOND] (default 1), of each device
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
  devices: { type: 'string', env: 'DEVICE_COUNT' },
  'device-prefix': { type: 'string', env: 'DEVICE_PREFIX' },
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
  const fleet = fleetOf(read('devices'), read('device-prefix'), device);
  return {
    streamName: stream?.value ?? 'm03p02_raw_data_stream',
    deviceId: device?.value ?? 'DHT-001',
    ...fleet,
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

export const MAX_DEVICES = 100_000;
export const DEFAULT_DEVICE_PREFIX = 'DHT-';

/** The device count and naming; `--device-id` names a single device only. */
function fleetOf(
  count: Raw,
  prefix: Raw,
  device: Raw,
): { devices: number; devicePrefix: string | undefined } {
  const devices = count ? Number(count.value) : 1;
  if (count && (!/^\d+$/.test(count.value.trim()) || devices < 1 || devices > MAX_DEVICES)) {
    throw new UsageError(
      `${count.source} "${count.value}" must be a whole number of devices from 1 to ${MAX_DEVICES}`,
    );
  }
  if (count && devices > 1 && device) {
    throw new UsageError(
      `${device.source} names one device, but ${count.source} asks for ${devices}: name a fleet with --device-prefix (DEVICE_PREFIX) instead`,
    );
  }
  // The longest name is the prefix and six digits; a device id is at most 128 characters.
  if (prefix && prefix.value.length > 122) {
    throw new UsageError(`${prefix.source} must be at most 122 characters`);
  }
  return {
    devices,
    devicePrefix: prefix?.value ?? (devices > 1 ? DEFAULT_DEVICE_PREFIX : undefined),
  };
}
