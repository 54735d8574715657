import {
  DEVICES,
  awsRequests,
  createResources,
  detectorFor,
  devicesOf,
  drain,
  openings,
  proxy,
  tableItems,
  useDetectorEmulator,
} from './detector-emulator';
import { eventOf, kinesisEvent, kinesisRecord, mixedReadings, readingJson } from './events';

// The detector against the emulator on batches it gets through, malformed records included (when
// AWS fails part-way or a batch comes again: detector-redelivery.int.test.ts).
useDetectorEmulator();

describe('detector against the emulator', () => {
  it('stores 100 anomalies of a 1,000-record batch from 3 devices and sends one message per device, in at most 13 requests', async () => {
    // Prepare
    const resources = await createResources();
    const logs: string[] = [];
    const handler = detectorFor(resources, logs);
    const event = eventOf(mixedReadings(1000, DEVICES, 10));

    // Act
    const response = await handler(event);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    // States and budget read (1), anomalies written (4 × 25), states written (3), the topic's
    // budget slots taken (1), published (1), outboxes emptied (3): one over issue 26's target of 12.
    expect(awsRequests().length).toBeLessThanOrEqual(13);
    const items = await tableItems(resources.tableName);
    expect(items).toHaveLength(100);
    expect(new Set(items.map((item) => item.anomaly?.S))).toEqual(new Set(['HOT', 'COLD']));
    const alerts = await drain(resources.alertQueueUrl);
    expect(devicesOf(alerts)).toEqual(DEVICES);
    // Each device alternates HOT and COLD readings: every anomaly opens an excursion of its kind.
    expect(openings(alerts)).toHaveLength(100);
    expect(logs).toHaveLength(1);
    expect(JSON.parse(logs[0]!)).toMatchObject({
      records: 1000,
      normal: 900,
      anomalies: 100,
      stored: 100,
      alreadyProcessed: 0,
      opened: 100,
      deadLettered: 0,
      failed: 0,
    });
  });

  it('makes one read request for a batch with no anomalies and no open excursion', async () => {
    // Prepare
    const resources = await createResources();
    const handler = detectorFor(resources);
    proxy.clearLog();

    // Act
    const response = await handler(eventOf(mixedReadings(500, DEVICES, 1_000_000)));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(awsRequests().map((entry) => entry.operation)).toEqual(['BatchGetItem']);
  });

  it('dead-letters every malformed record with its sequence number, reason and raw data, and completes the rest', async () => {
    // Prepare
    const resources = await createResources();
    const handler = detectorFor(resources);
    const poison: (Record<string, unknown> | string)[] = [
      'not json at all',
      '[1, 2, 3]',
      readingJson({ deviceId: undefined }),
      readingJson({ timestamp: undefined }),
      readingJson({ temperature: undefined }),
      readingJson({ temperature: 'NaN' }),
      readingJson({ temperature: 'Infinity' }),
      readingJson({ temperature: 5000 }),
      readingJson({ unit: 'K' }),
      readingJson({ timestamp: 'yesterday' }),
      readingJson({ deviceId: 7 }),
      readingJson({ note: 'x'.repeat(2048) }),
    ];
    const records = [
      kinesisRecord(readingJson({ temperature: 103, timestamp: '2026-11-21T09:00:00Z' }), 0),
      ...poison.map((payload, i) => kinesisRecord(payload, i + 1)),
      kinesisRecord('', 13, { rawBase64: '***' }),
      kinesisRecord(Buffer.from([0xc3, 0x28]), 14),
      kinesisRecord(readingJson({ temperature: 93, timestamp: '2026-11-21T09:01:00Z' }), 15),
    ];

    // Act
    const response = await handler(kinesisEvent(records));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const letters = (await drain(resources.deadLetterQueueUrl)).map(
      (message) => JSON.parse(message.Body ?? '{}') as Record<string, unknown>,
    );
    expect(letters).toHaveLength(14);
    const bySequence = new Map(letters.map((letter) => [letter.sequenceNumber, letter]));
    for (const record of records.slice(1, 15)) {
      const letter = bySequence.get(record.kinesis.sequenceNumber);
      expect(letter).toBeDefined();
      expect(typeof letter?.reason).toBe('string');
      expect(record.kinesis.data.startsWith(String(letter?.data))).toBe(true);
    }
    const items = await tableItems(resources.tableName);
    expect(items.map((item) => item.anomaly?.S)).toEqual(['HOT', 'COLD']);
    const alerts = await drain(resources.alertQueueUrl);
    expect(alerts).toHaveLength(1);
    expect(openings(alerts)).toEqual([
      'A HOT excursion began at 2026-11-21T09:00:00.000Z: 103.0 °F (normal range 96–101 °F).',
      'A COLD excursion began at 2026-11-21T09:01:00.000Z: 93.0 °F (normal range 96–101 °F).',
    ]);
  });
});
