import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { alertFor, formatDuration, publishAlerts, type Alert } from '../../lambda/src/alerts';
import { DEFAULT_THRESHOLDS } from '../../lambda/src/classify';
import type { ExcursionEvent } from '../../lambda/src/excursion';

// The message a person receives, whole, and the PublishBatch requests that carry it.
const snsMock = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:alerts';

const coldOpen = {
  kind: 'COLD' as const,
  startedAt: '2026-11-21T10:00:00.000Z',
  firstF: 95.04,
  peakF: 94.96,
  count: 1,
  lastAnomalyAt: '2026-11-21T10:00:00.000Z',
  notifiedAt: '2026-11-21T10:00:00.000Z',
};

describe('the alert a person reads', () => {
  it('is the device, one paragraph per event and where the readings are, line by line', () => {
    const events: ExcursionEvent[] = [
      { type: 'opened', excursion: coldOpen },
      {
        type: 'reminder',
        excursion: coldOpen,
        latestF: 95.55,
        latestAt: '2026-11-21T10:00:40.000Z',
      },
      {
        type: 'closed',
        excursion: {
          kind: 'COLD',
          startedAt: coldOpen.startedAt,
          endedAt: '2026-11-21T12:00:00.000Z',
          peakF: 94.96,
          count: 1,
        },
      },
    ];

    const alert = alertFor('DHT-007', events, { coldBelowF: 95.5, hotAboveF: 100.4 });

    expect(alert).toEqual({
      deviceId: 'DHT-007',
      subject: 'Temperature alert for DHT-007: COLD excursion began, COLD excursion continues +1',
      message: [
        'Device DHT-007:',
        '',
        'A COLD excursion began at 2026-11-21T10:00:00.000Z: 95.0 °F (normal range 95.5–100.4 °F).',
        'The COLD excursion that began at 2026-11-21T10:00:00.000Z is still open after 40 s: 1 anomalous reading, peak 95.0 °F, latest 95.5 °F at 2026-11-21T10:00:40.000Z.',
        'The COLD excursion that began at 2026-11-21T10:00:00.000Z ended at 2026-11-21T12:00:00.000Z after 2 h 0 min: 1 anomalous reading, peak 95.0 °F.',
        '',
        'Every anomalous reading is stored in the anomaly table.',
      ].join('\n'),
    });
  });

  it('names a low reading’s excursion in the subject', () => {
    const alert = alertFor(
      'DHT-002',
      [{ type: 'opened', excursion: coldOpen }],
      DEFAULT_THRESHOLDS,
    );
    expect(alert.subject).toBe('Temperature alert for DHT-002: COLD excursion began');
  });

  it('shortens a long device id to fit the subject in 99 characters, marking the cut', () => {
    const deviceId = `ward-7-${'b'.repeat(80)}`;
    const subject = alertFor(
      deviceId,
      [{ type: 'opened', excursion: coldOpen }],
      DEFAULT_THRESHOLDS,
    ).subject;

    const suffix = ': COLD excursion began';
    const room = 99 - 'Temperature alert for '.length - suffix.length;
    expect(subject).toBe(`Temperature alert for ${deviceId.slice(0, room - 3)}...${suffix}`);
    expect(subject).toHaveLength(99);
  });

  it('keeps a device id that just fits whole, with control characters shown as ?', () => {
    const deviceId = `bed\t${'c'.repeat(51)}`;
    const subject = alertFor(
      deviceId,
      [{ type: 'opened', excursion: coldOpen }],
      DEFAULT_THRESHOLDS,
    ).subject;
    expect(subject).toBe(`Temperature alert for bed?${'c'.repeat(51)}: COLD excursion began`);
    expect(subject).toHaveLength(99);
  });

  it.each([
    [0, '0 s'],
    [-5_000, '0 s'],
    [59_499, '59 s'],
    [59_500, '1 min 0 s'],
    [61_000, '1 min 1 s'],
    [3_599_000, '59 min 59 s'],
    [3_600_000, '1 h 0 min'],
    [3_660_000, '1 h 1 min'],
    [90_061_000, '25 h 1 min'],
  ])('gives %d ms as "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

const alertOf = (deviceId: string, messageBytes = 10, subjectBytes?: number): Alert => ({
  deviceId,
  subject:
    subjectBytes === undefined
      ? `Temperature alert for ${deviceId}: HOT excursion began`
      : 's'.repeat(subjectBytes),
  message: 'm'.repeat(messageBytes),
});

const sentEntries = () =>
  snsMock
    .commandCalls(PublishBatchCommand)
    .map((call) => call.args[0].input.PublishBatchRequestEntries ?? []);

describe('publishing alerts', () => {
  beforeEach(() => {
    snsMock.reset();
    snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  it('sends each alert with its subject, text and deviceId attribute to the topic', async () => {
    const result = await publishAlerts(snsMock as unknown as SNSClient, TOPIC, [
      alertOf('A'),
      alertOf('B'),
    ]);

    expect(snsMock.commandCalls(PublishBatchCommand)[0]!.args[0].input).toEqual({
      TopicArn: TOPIC,
      PublishBatchRequestEntries: ['A', 'B'].map((deviceId, i) => ({
        Id: `alert-${i}`,
        Subject: `Temperature alert for ${deviceId}: HOT excursion began`,
        Message: 'mmmmmmmmmm',
        MessageAttributes: { deviceId: { DataType: 'String', StringValue: deviceId } },
      })),
    });
    expect(result).toEqual({ failedDevices: new Set(), sent: 2 });
  });

  it('sends at most 10 alerts a request', async () => {
    const alerts = Array.from({ length: 21 }, (_, i) => alertOf(`D${i}`));

    const result = await publishAlerts(snsMock as unknown as SNSClient, TOPIC, alerts);

    expect(sentEntries().map((entries) => entries.length)).toEqual([10, 10, 1]);
    expect(result.sent).toBe(21);
  });

  // Message and subject of 61,340 bytes together: four fill 240 KiB (the margin under SNS's
  // 256 KiB) only if the 256 bytes each for attributes and encoding are left out.
  it.each([
    ['long messages', 61_295, 45],
    ['long subjects', 45, 61_295],
  ])('keeps each request under the 256 KiB SNS takes (%s)', async (_what, message, subject) => {
    const alerts = Array.from({ length: 5 }, (_, i) => alertOf(`D${i}`, message, subject));

    await publishAlerts(snsMock as unknown as SNSClient, TOPIC, alerts);

    expect(sentEntries().map((entries) => entries.length)).toEqual([3, 2]);
  });

  it('reports the devices whose entries SNS refused, and those of a request that failed', async () => {
    snsMock
      .on(PublishBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: 'alert-0' }],
        Failed: [{ Id: 'alert-1', Code: 'InternalError', SenderFault: false }],
      })
      .rejectsOnce(new Error('socket hang up'));
    const alerts = Array.from({ length: 12 }, (_, i) => alertOf(`D${i}`));

    const result = await publishAlerts(snsMock as unknown as SNSClient, TOPIC, alerts);

    expect([...result.failedDevices]).toEqual(['D1', 'D10', 'D11']);
    expect(result.sent).toBe(9);
  });
});
