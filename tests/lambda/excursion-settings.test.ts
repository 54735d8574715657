import { ConfigurationError, loadConfig } from '../../lambda/src/config';
import { planDevice, type Observed } from '../../lambda/src/device-plan';
import { emptyState } from '../../lambda/src/device-state';
import { DEFAULT_EXCURSION_SETTINGS } from '../../lambda/src/excursion';

const required = {
  ANOMALY_TABLE_NAME: 'm03p02_anomaly_data',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:m03p02_anomaly_alerts',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters',
};

describe('excursion settings', () => {
  it('defaults to a 5-minute hold, hourly reminders and a message on close', () => {
    expect(loadConfig(required).excursions).toEqual({
      holdMs: 300_000,
      reminderMs: 3_600_000,
      alertOnClose: true,
    });
  });

  it('reads EXCURSION_HOLD_SECONDS and ALERT_ON_CLOSE', () => {
    const config = loadConfig({
      ...required,
      EXCURSION_HOLD_SECONDS: '120',
      ALERT_ON_CLOSE: 'FALSE',
    });
    expect(config.excursions).toMatchObject({ holdMs: 120_000, alertOnClose: false });
  });

  it.each([
    [{ EXCURSION_HOLD_SECONDS: 'five' }, 'EXCURSION_HOLD_SECONDS "five"'],
    [{ EXCURSION_HOLD_SECONDS: '-1' }, 'EXCURSION_HOLD_SECONDS "-1"'],
    [{ EXCURSION_HOLD_SECONDS: '90000' }, 'EXCURSION_HOLD_SECONDS "90000"'],
    [{ ALERT_ON_CLOSE: 'yes' }, 'ALERT_ON_CLOSE "yes" must be true or false'],
  ])('rejects %j, naming the variable', (env, message) => {
    expect(() => loadConfig({ ...required, ...env })).toThrow(ConfigurationError);
    expect(() => loadConfig({ ...required, ...env })).toThrow(message);
  });

  it('leaves the closing out of the message when ALERT_ON_CLOSE is false, but remembers it', () => {
    // Prepare: a HOT reading, then 301 s of normal ones.
    const fresh: Observed[] = [103, ...Array<number>(302).fill(98)].map((temperatureF, i) => ({
      deviceId: 'DHT-001',
      timestamp: new Date(Date.UTC(2026, 10, 21, 10) + i * 1000).toISOString(),
      temperatureF,
      unit: 'F',
      kind: temperatureF > 101 ? 'HOT' : undefined,
      sequenceNumber: String(100 + i),
      index: i,
    }));
    const settings = { ...DEFAULT_EXCURSION_SETTINGS, alertOnClose: false };

    // Act
    const plan = planDevice(emptyState('DHT-001'), fresh, {
      settings,
      now: 0,
      published: new Set(),
    });

    // Assess
    expect(plan.type).toBe('write');
    if (plan.type !== 'write') return;
    expect(plan.next.outbox?.events.map((event) => event.type)).toEqual(['opened']);
    expect(plan.next.recent).toHaveLength(1);
    expect(plan.next.open).toBeUndefined();
    expect(plan.next.lastSequenceNumber).toBe('402');
  });
});
