import { ConfigurationError, loadConfig } from '../../lambda/src/config';
import { loadMetricsConfig } from '../../lambda/src/metrics';

// The optional settings at their edges: the values the detector then uses, and the cold-start
// error (its type is what Lambda reports as errorType) for a value it cannot use.
const required = {
  ANOMALY_TABLE_NAME: 'm03p02_anomaly_data',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:m03p02_anomaly_alerts',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters',
};
const excursions = (env: Record<string, string>) => loadConfig({ ...required, ...env }).excursions;

describe('excursion settings at their edges', () => {
  it.each([
    ['0', 0],
    ['86400', 86_400_000],
    ['0.5', 500],
    ['1.0004', 1_000],
    ['', 300_000],
    ['  ', 300_000],
  ])('holds for EXCURSION_HOLD_SECONDS %j as %d ms', (value, holdMs) => {
    expect(excursions({ EXCURSION_HOLD_SECONDS: value })).toEqual({
      holdMs,
      reminderMs: 3_600_000,
      alertOnClose: true,
    });
  });

  it.each(['86400.001', '-0.001', 'Infinity', '5s'])(
    'rejects EXCURSION_HOLD_SECONDS %j, naming it',
    (value) => {
      expect(() => excursions({ EXCURSION_HOLD_SECONDS: value })).toThrow(
        new ConfigurationError(
          `EXCURSION_HOLD_SECONDS "${value}" is not a number of seconds from 0 to 86400.`,
        ),
      );
    },
  );

  it.each([
    [' True ', true],
    ['false', false],
    ['', true],
  ])('reads ALERT_ON_CLOSE %j as %s', (value, alertOnClose) => {
    expect(excursions({ ALERT_ON_CLOSE: value })?.alertOnClose).toBe(alertOnClose);
  });

  it('reports a configuration error under its own name', () => {
    let caught: unknown;
    try {
      excursions({ ALERT_ON_CLOSE: ' Yes ' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect(caught).toMatchObject({
      name: 'ConfigurationError',
      message: 'ALERT_ON_CLOSE "yes" must be true or false.',
    });
  });
});

describe('metrics settings', () => {
  it.each([
    [{ POWERTOOLS_SERVICE_NAME: ' my-stack ', METRICS_PER_DEVICE: ' TRUE ' }, 'my-stack', true],
    [{ POWERTOOLS_SERVICE_NAME: '  ', METRICS_PER_DEVICE: '' }, 'anomaly-detector', false],
    [{ METRICS_PER_DEVICE: 'False' }, 'anomaly-detector', false],
  ])('reads %j', (env, serviceName, perDevice) => {
    expect(loadMetricsConfig(env)).toEqual({ serviceName, perDevice });
  });

  it('rejects any other METRICS_PER_DEVICE as a configuration error', () => {
    expect(() => loadMetricsConfig({ METRICS_PER_DEVICE: '1' })).toThrow(
      new ConfigurationError('METRICS_PER_DEVICE "1" must be true or false.'),
    );
  });
});
