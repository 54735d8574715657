import { parseCommand, UsageError, type ProducerConfig } from '../../producer/src/config';
import { DEFAULT_ANOMALY_RATE } from '../../producer/src/model';

// The producer's flags and variables at their edges: the value it then runs with, or the
// message a person sees (the CLI prints it and exits 2).
const configOf = (argv: string[], env: Record<string, string> = {}): ProducerConfig => {
  const parsed = parseCommand(argv, env, () => 42);
  if (parsed.help) throw new Error('unexpected --help');
  return parsed.config;
};

const errorOf = (argv: string[], env: Record<string, string> = {}): string => {
  try {
    configOf(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ name: 'UsageError' });
    return (error as Error).message;
  }
  return 'accepted';
};

describe('producer configuration: accepted edges', () => {
  it.each([
    ['--count=1', { count: 1 }],
    ['--count= 7 ', { count: 7 }],
    ['--seed=0', { seed: 0 }],
    ['--seed=9007199254740991', { seed: Number.MAX_SAFE_INTEGER }],
    ['--rate=0', { rate: 0 }],
    ['--rate=0.25', { rate: 0.25 }],
    ['--anomaly-rate=0', { anomalyRate: 0 }],
    ['--anomaly-rate=1', { anomalyRate: 1 }],
    ['--stream=Az09_.-', { streamName: 'Az09_.-' }],
    [`--stream=${'s'.repeat(128)}`, { streamName: 's'.repeat(128) }],
    [`--device-id=${'d'.repeat(128)}`, { deviceId: 'd'.repeat(128) }],
    [
      '--status-file=/var/lib/producer/status.json',
      { statusFile: '/var/lib/producer/status.json' },
    ],
  ])('%s', (flag, expected) => {
    expect(configOf([flag])).toMatchObject(expected);
  });

  it('treats an empty variable as unset', () => {
    expect(
      configOf([], {
        STREAM_NAME: '',
        DEVICE_ID: '',
        READING_COUNT: '',
        READINGS_PER_SECOND: '',
        RANDOM_SEED: '',
        ANOMALY_RATE: '',
        STATUS_FILE: '',
      }),
    ).toEqual({
      streamName: 'm03p02_raw_data_stream',
      deviceId: 'DHT-001',
      count: undefined,
      rate: 1,
      seed: 42,
      anomalyRate: DEFAULT_ANOMALY_RATE,
      statusFile: undefined,
      devices: 1,
      devicePrefix: undefined,
    });
  });

  it('lets an empty flag win over the variable', () => {
    expect(errorOf(['--rate='], { READINGS_PER_SECOND: '5' })).toBe(
      '--rate "" must be a number of readings per second, 0 or more',
    );
  });
});

describe('producer configuration: rejected values, named', () => {
  it.each([
    [['--count=0'], {}, '--count "0" must be a whole number of at least 1'],
    [['--count=-1'], {}, '--count "-1" must be a whole number of at least 1'],
    [['--count=2e3'], {}, '--count "2e3" must be a whole number of at least 1'],
    [
      ['--count=9007199254740993'],
      {},
      '--count "9007199254740993" must be a whole number of at least 1',
    ],
    [[], { READING_COUNT: ' ' }, 'READING_COUNT " " must be a whole number of at least 1'],
    [['--seed=1.5'], {}, '--seed "1.5" must be a whole number of at least 0'],
    [['--seed=x1'], {}, '--seed "x1" must be a whole number of at least 0'],
    [['--seed=1x'], {}, '--seed "1x" must be a whole number of at least 0'],
    [
      [],
      { READINGS_PER_SECOND: '-0.5' },
      'READINGS_PER_SECOND "-0.5" must be a number of readings per second, 0 or more',
    ],
    [
      [],
      { READINGS_PER_SECOND: ' ' },
      'READINGS_PER_SECOND " " must be a number of readings per second, 0 or more',
    ],
    [
      [],
      { READINGS_PER_SECOND: 'Infinity' },
      'READINGS_PER_SECOND "Infinity" must be a number of readings per second, 0 or more',
    ],
    [['--anomaly-rate=-0.01'], {}, '--anomaly-rate "-0.01" must be a probability between 0 and 1'],
    [['--anomaly-rate=1.01'], {}, '--anomaly-rate "1.01" must be a probability between 0 and 1'],
    [
      [],
      { STREAM_NAME: 'raw/readings' },
      'STREAM_NAME "raw/readings" is not a Kinesis stream name (1-128 of A-Z a-z 0-9 _ . -)',
    ],
    [
      [`--stream=${'s'.repeat(129)}`],
      {},
      `--stream "${'s'.repeat(129)}" is not a Kinesis stream name (1-128 of A-Z a-z 0-9 _ . -)`,
    ],
    [
      ['--stream=x y'],
      {},
      '--stream "x y" is not a Kinesis stream name (1-128 of A-Z a-z 0-9 _ . -)',
    ],
    [[], { DEVICE_ID: '   ' }, 'DEVICE_ID must be 1-128 characters'],
    [[`--device-id=${'d'.repeat(129)}`], {}, '--device-id must be 1-128 characters'],
  ] as [string[], Record<string, string>, string][])('%j %j', (argv, env, message) => {
    expect(errorOf(argv, env)).toBe(message);
  });

  it('passes on what the argument parser says of an unknown flag', () => {
    expect(errorOf(['--unknown'])).toContain("Unknown option '--unknown'");
  });
});

describe('producer configuration: fleet edges', () => {
  it.each([
    [['--devices=1'], {}, { devices: 1, devicePrefix: undefined, deviceId: 'DHT-001' }],
    [['--devices=100000'], {}, { devices: 100_000, devicePrefix: 'DHT-' }],
    [[], { DEVICE_COUNT: ' 3 ' }, { devices: 3, devicePrefix: 'DHT-' }],
    [['--devices=1', '--device-id=WARD7-BED4'], {}, { devices: 1, deviceId: 'WARD7-BED4' }],
    [
      ['--devices=2', `--device-prefix=${'p'.repeat(122)}`],
      {},
      { devices: 2, devicePrefix: 'p'.repeat(122) },
    ],
  ] as [string[], Record<string, string>, Partial<ProducerConfig>][])(
    '%j %j is accepted',
    (argv, env, expected) => {
      expect(configOf(argv, env)).toMatchObject(expected);
    },
  );

  it.each(['1e3', '+5', '2.0', '0x10'])(
    '--devices=%s is not a whole number of devices',
    (count) => {
      expect(errorOf([`--devices=${count}`])).toBe(
        `--devices "${count}" must be a whole number of devices from 1 to 100000`,
      );
    },
  );
});
