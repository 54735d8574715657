import { parseCommand, UsageError } from '../../producer/src/config';

const noSeed = () => 42;

describe('producer configuration', () => {
  it('has the contract defaults', () => {
    expect(parseCommand([], {}, noSeed)).toEqual({
      help: false,
      config: {
        streamName: 'm03p02_raw_data_stream',
        deviceId: 'DHT-001',
        count: undefined,
        rate: 1,
        seed: 42,
        anomalyRate: 0.00005,
        statusFile: undefined,
        devices: 1,
        devicePrefix: undefined,
      },
    });
  });

  it('reads every setting from the environment', () => {
    const parsed = parseCommand(
      [],
      {
        STREAM_NAME: 'other',
        DEVICE_ID: 'DHT-009',
        READING_COUNT: '10',
        READINGS_PER_SECOND: '0',
        RANDOM_SEED: '7',
        ANOMALY_RATE: '0.5',
        STATUS_FILE: '/tmp/status.json',
      },
      noSeed,
    );
    expect(parsed).toEqual({
      help: false,
      config: {
        streamName: 'other',
        deviceId: 'DHT-009',
        count: 10,
        rate: 0,
        seed: 7,
        anomalyRate: 0.5,
        statusFile: '/tmp/status.json',
        devices: 1,
        devicePrefix: undefined,
      },
    });
  });

  it('lets flags win over the environment', () => {
    const parsed = parseCommand(
      [
        '--stream',
        'flagged',
        '--count',
        '3',
        '--rate',
        '2.5',
        '--seed',
        '1',
        '--anomaly-rate',
        '0',
        '--device-id',
        'X',
      ],
      {
        STREAM_NAME: 'env',
        READING_COUNT: '9',
        READINGS_PER_SECOND: '9',
        RANDOM_SEED: '9',
        ANOMALY_RATE: '1',
        DEVICE_ID: 'Y',
      },
      noSeed,
    );
    expect(parsed).toMatchObject({
      config: {
        streamName: 'flagged',
        count: 3,
        rate: 2.5,
        seed: 1,
        anomalyRate: 0,
        deviceId: 'X',
      },
    });
  });

  it('asks for help with --help or -h', () => {
    expect(parseCommand(['--help'], {}, noSeed)).toEqual({ help: true });
    expect(parseCommand(['-h'], {}, noSeed)).toEqual({ help: true });
  });

  it.each([
    [['--count', '0'], {}, '--count'],
    [['--count', '1.5'], {}, '--count'],
    [[], { READING_COUNT: 'many' }, 'READING_COUNT'],
    // `--rate -1` would stop at the argument parser ("ambiguous"); `=` reaches our validation.
    [['--rate=-1'], {}, '--rate "-1" must be a number of readings per second, 0 or more'],
    [[], { READINGS_PER_SECOND: 'fast' }, 'READINGS_PER_SECOND'],
    [['--seed=-3'], {}, '--seed "-3" must be a whole number of at least 0'],
    [[], { RANDOM_SEED: 'x' }, 'RANDOM_SEED'],
    [['--anomaly-rate', '1.5'], {}, '--anomaly-rate'],
    [[], { ANOMALY_RATE: 'NaN' }, 'ANOMALY_RATE'],
    [['--stream', 'has spaces'], {}, '--stream'],
    [[], { STREAM_NAME: 'x'.repeat(129) }, 'STREAM_NAME'],
    [['--device-id', ' '], {}, '--device-id'],
    [['--unknown'], {}, "'--unknown'"],
    [['positional'], {}, 'positional'],
  ] as [string[], Record<string, string>, string][])(
    'rejects %j %j naming %s',
    (argv, env, name) => {
      const act = () => parseCommand(argv, env, noSeed);
      expect(act).toThrow(UsageError);
      expect(act).toThrow(name);
    },
  );
});
