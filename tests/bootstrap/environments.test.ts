import { checkEnvironmentName, nameSuffix, physicalNames } from '../../bootstrap/src/environments';

describe('environment names', () => {
  it('keeps the seeds names for production', () => {
    expect(physicalNames('production')).toEqual({
      stackName: 'anomaly-detection',
      streamName: 'm03p02_raw_data_stream',
      tableName: 'm03p02_anomaly_data',
      topicName: 'm03p02_anomaly_alerts',
      functionName: 'm03p02_anomaly_detector',
    });
  });

  it('suffixes every name of any other environment', () => {
    expect(physicalNames('staging')).toEqual({
      stackName: 'anomaly-detection-staging',
      streamName: 'm03p02_raw_data_stream-staging',
      tableName: 'm03p02_anomaly_data-staging',
      topicName: 'm03p02_anomaly_alerts-staging',
      functionName: 'm03p02_anomaly_detector-staging',
    });
    expect(nameSuffix('qa-2')).toBe('-qa-2');
  });

  it.each(['', 'Staging', 'prod_1', '-x', 'x-', '1st', 'a'.repeat(21)])(
    'rejects %p, naming it',
    (name) => {
      expect(() => checkEnvironmentName(name)).toThrow(
        `environment '${name}' is not a valid environment name: use 1–20 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen (e.g. staging, production)`,
      );
    },
  );

  it('accepts a one-letter name', () => {
    expect(checkEnvironmentName('q')).toBe('q');
  });

  it('accepts the longest allowed name', () => {
    expect(checkEnvironmentName('a'.repeat(20))).toBe('a'.repeat(20));
  });
});
