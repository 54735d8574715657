import { ConfigurationError, loadConfig } from '../../lambda/src/config';

// The detector's environment at its edges: what it accepts (as the values it then uses) and
// the cold-start error a person sees for what it rejects.
const valid = {
  ANOMALY_TABLE_NAME: 'm03p02_anomaly_data',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:m03p02_anomaly_alerts',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters',
};

const errorOf = (change: Record<string, string | undefined>): string => {
  try {
    loadConfig({ ...valid, ...change });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  return 'accepted';
};

describe('loadConfig: accepted values', () => {
  it('trims the surrounding blanks of every variable', () => {
    const config = loadConfig({
      ANOMALY_TABLE_NAME: ` ${valid.ANOMALY_TABLE_NAME}\n`,
      ALERT_TOPIC_ARN: `\t${valid.ALERT_TOPIC_ARN} `,
      DEAD_LETTER_QUEUE_URL: ` ${valid.DEAD_LETTER_QUEUE_URL} `,
      COLD_BELOW_F: ' 95 ',
      HOT_ABOVE_F: ' 100 ',
      EXCURSION_HOLD_SECONDS: ' 120 ',
    });
    expect(config).toEqual({
      tableName: valid.ANOMALY_TABLE_NAME,
      topicArn: valid.ALERT_TOPIC_ARN,
      deadLetterQueueUrl: valid.DEAD_LETTER_QUEUE_URL,
      alertMessagesPerMinute: 10,
      thresholds: { coldBelowF: 95, hotAboveF: 100 },
      excursions: { holdMs: 120_000, reminderMs: 3_600_000, alertOnClose: true },
    });
  });

  it.each([
    ['a table name of 3 characters', { ANOMALY_TABLE_NAME: 'abc' }],
    ['a table name of 255 characters', { ANOMALY_TABLE_NAME: 't'.repeat(255) }],
    ['a table name with every allowed character', { ANOMALY_TABLE_NAME: 'Az09_.-' }],
    [
      'a topic in another partition',
      { ALERT_TOPIC_ARN: 'arn:aws-cn:sns:cn-north-1:123456789012:t' },
    ],
    [
      'a topic name of 256 characters',
      { ALERT_TOPIC_ARN: `arn:aws:sns:us-east-1:123456789012:${'T'.repeat(256)}` },
    ],
    [
      'a topic name with every allowed character',
      { ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:Az09_-' },
    ],
    [
      'a queue URL over http (a local endpoint)',
      { DEAD_LETTER_QUEUE_URL: 'http://127.0.0.1:5000/123456789012/q' },
    ],
    ['equal thresholds', { COLD_BELOW_F: '98', HOT_ABOVE_F: '98' }],
    ['negative and fractional thresholds', { COLD_BELOW_F: '-1.5', HOT_ABOVE_F: '0.25' }],
  ])('accepts %s', (_what, change) => {
    expect(errorOf(change)).toBe('accepted');
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
  ])('uses the default thresholds when they are %s', (_what, value) => {
    expect(loadConfig({ ...valid, COLD_BELOW_F: value, HOT_ABOVE_F: value }).thresholds).toEqual({
      coldBelowF: 96,
      hotAboveF: 101,
    });
  });
});

describe('loadConfig: rejected values, named', () => {
  it.each([
    [
      'ANOMALY_TABLE_NAME',
      { ANOMALY_TABLE_NAME: '   ' },
      'ANOMALY_TABLE_NAME is not set; the detector needs it.',
    ],
    [
      'ALERT_TOPIC_ARN',
      { ALERT_TOPIC_ARN: undefined },
      'ALERT_TOPIC_ARN is not set; the detector needs it.',
    ],
    [
      'DEAD_LETTER_QUEUE_URL',
      { DEAD_LETTER_QUEUE_URL: '' },
      'DEAD_LETTER_QUEUE_URL is not set; the detector needs it.',
    ],
  ])('%s blank or missing', (_name, change, message) => {
    expect(errorOf(change)).toBe(message);
  });

  it.each([['ab'], ['t'.repeat(256)], ['anomaly/data'], ['xanomaly data']])(
    'table name %j',
    (name) => {
      expect(errorOf({ ANOMALY_TABLE_NAME: name })).toBe(
        `ANOMALY_TABLE_NAME "${name}" is not a valid DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -).`,
      );
    },
  );

  it.each([
    ['arn:aws:sns:us-east-1:12345678901:topic'],
    ['arn:aws:sns:us-east-1:123456789012:'],
    [`arn:aws:sns:us-east-1:123456789012:${'T'.repeat(257)}`],
    ['arn:aws:sns::123456789012:topic'],
    ['arn:aws:sqs:us-east-1:123456789012:topic'],
    ['xarn:aws:sns:us-east-1:123456789012:topic'],
    ['arn:aws:sns:us-east-1:123456789012:topic:x'],
    ['arn:AWS:sns:us-east-1:123456789012:topic'],
  ])('topic %j', (arn) => {
    expect(errorOf({ ALERT_TOPIC_ARN: arn })).toBe(
      `ALERT_TOPIC_ARN "${arn}" is not an SNS topic ARN.`,
    );
  });

  it.each([['dead-letters'], ['ftp://example.com/q'], ['xhttps://example.com/q']])(
    'queue URL %j',
    (url) => {
      expect(errorOf({ DEAD_LETTER_QUEUE_URL: url })).toBe(
        `DEAD_LETTER_QUEUE_URL "${url}" is not an SQS queue URL (https://…).`,
      );
    },
  );

  it.each([
    ['COLD_BELOW_F', 'Infinity'],
    ['COLD_BELOW_F', '-Infinity'],
    ['HOT_ABOVE_F', 'NaN'],
    ['HOT_ABOVE_F', '101F'],
  ])('%s %j', (name, value) => {
    expect(errorOf({ [name]: value })).toBe(
      `${name} "${value}" is not a number of degrees Fahrenheit.`,
    );
  });

  it('a cold threshold above the hot one', () => {
    expect(errorOf({ COLD_BELOW_F: '100.5', HOT_ABOVE_F: '100' })).toBe(
      'COLD_BELOW_F (100.5) must not be above HOT_ABOVE_F (100).',
    );
  });
});
