import { ConfigurationError, loadConfig } from '../../lambda/src/config';

const valid = {
  ANOMALY_TABLE_NAME: 'm03p02_anomaly_data',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:m03p02_anomaly_alerts',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters',
};

describe('loadConfig', () => {
  it('reads the environment, with the default thresholds', () => {
    expect(loadConfig(valid)).toEqual({
      tableName: 'm03p02_anomaly_data',
      topicArn: valid.ALERT_TOPIC_ARN,
      deadLetterQueueUrl: valid.DEAD_LETTER_QUEUE_URL,
      alertMessagesPerMinute: 10,
      thresholds: { coldBelowF: 96, hotAboveF: 101 },
      excursions: { holdMs: 300_000, reminderMs: 3_600_000, alertOnClose: true },
    });
  });

  it('reads thresholds when set', () => {
    const config = loadConfig({ ...valid, COLD_BELOW_F: '95.5', HOT_ABOVE_F: '100.4' });
    expect(config.thresholds).toEqual({ coldBelowF: 95.5, hotAboveF: 100.4 });
  });

  it.each([
    ['ANOMALY_TABLE_NAME', { ANOMALY_TABLE_NAME: undefined }],
    ['ANOMALY_TABLE_NAME', { ANOMALY_TABLE_NAME: 'a b' }],
    ['ALERT_TOPIC_ARN', { ALERT_TOPIC_ARN: '' }],
    ['ALERT_TOPIC_ARN', { ALERT_TOPIC_ARN: 'arn:aws:sqs:us-east-1:123456789012:q' }],
    ['DEAD_LETTER_QUEUE_URL', { DEAD_LETTER_QUEUE_URL: undefined }],
    ['DEAD_LETTER_QUEUE_URL', { DEAD_LETTER_QUEUE_URL: 'queue' }],
    ['COLD_BELOW_F', { COLD_BELOW_F: 'cold' }],
    ['HOT_ABOVE_F', { HOT_ABOVE_F: 'Infinity' }],
    ['COLD_BELOW_F', { COLD_BELOW_F: '102' }],
  ])('names %s when it is missing or invalid', (name, change) => {
    const act = () => loadConfig({ ...valid, ...change });
    expect(act).toThrow(ConfigurationError);
    expect(act).toThrow(name);
  });
});
