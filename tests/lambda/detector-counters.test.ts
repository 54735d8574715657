import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../lambda/src/detector';
import type { ExcursionCounterName, ExcursionCounters } from '../../lambda/src/metrics';
import { deviceStatesIn, mockedDeps } from './mocked-detector';
import { atMinute, eventOf, readingJson } from './events';

const dynamoMock = mockClient(DynamoDBClient);
const snsMock = mockClient(SNSClient);
const sqsMock = mockClient(SQSClient);

/** What the detector counted, by metric name (what DetectorMetrics would publish). */
function recordingCounters() {
  const totals: Partial<Record<ExcursionCounterName, number>> = {};
  const counters: ExcursionCounters = {
    count: (name, _deviceId, value = 1) => {
      totals[name] = (totals[name] ?? 0) + value;
    },
  };
  return { counters, totals };
}

const deps = (counters: ExcursionCounters) =>
  mockedDeps({ log: () => undefined, now: () => 0, counters });

const reading = (minute: number, temperature: number) =>
  readingJson({ timestamp: atMinute(minute), temperature });

beforeEach(() => {
  dynamoMock.reset();
  snsMock.reset();
  sqsMock.reset();
  deviceStatesIn(dynamoMock);
  snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });
  sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe('what the detector counts for its metrics', () => {
  it('counts an opening, a reminder and a close, with the readings, anomalies and dead letters', async () => {
    // Prepare: HOT at 10:00 and 11:01 (an hour on: a reminder), then normal for 10 minutes.
    const { counters, totals } = recordingCounters();
    const event = eventOf([
      reading(0, 103),
      reading(61, 103.5),
      reading(62, 98.6),
      reading(72, 98.6),
    ]);
    event.Records.push({
      ...event.Records[0]!,
      kinesis: {
        ...event.Records[0]!.kinesis,
        data: 'bm90IGpzb24=',
        sequenceNumber: '9'.repeat(60),
      },
    });

    // Act
    const response = await createHandler(deps(counters))(event);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(totals).toEqual({
      ReadingsProcessed: 5,
      Anomalies: 2,
      DeadLetters: 1,
      ExcursionsOpened: 1,
      Reminders: 1,
      ExcursionsClosed: 1,
    });
  });

  it("counts each record under its own device, a dead letter under its record's partition key", async () => {
    // Prepare: two readings of A around two records that are not readings, from B and C.
    const byDevice: string[] = [];
    const counters: ExcursionCounters = {
      count: (name, deviceId) => byDevice.push(`${name} ${deviceId}`),
    };
    const event = eventOf(
      [reading(0, 98.6), reading(1, 98.6)].map((r) => ({ ...r, deviceId: 'A' })),
    );
    const notJson = (partitionKey: string, sequenceNumber: string) => ({
      ...event.Records[0]!,
      kinesis: { ...event.Records[0]!.kinesis, data: 'bm90IGpzb24=', partitionKey, sequenceNumber },
    });
    event.Records.splice(1, 0, notJson('B', '8'.repeat(60)));
    event.Records.push(notJson('C', '9'.repeat(60)));

    // Act
    await createHandler(deps(counters))(event);

    // Assess
    expect(byDevice.filter((entry) => !entry.startsWith('Excursion'))).toEqual([
      'ReadingsProcessed A',
      'ReadingsProcessed B',
      'DeadLetters B',
      'ReadingsProcessed A',
      'ReadingsProcessed C',
      'DeadLetters C',
    ]);
  });

  it('counts no opening when the state that records it cannot be written', async () => {
    // Prepare
    dynamoMock.on(PutItemCommand).rejects(new Error('DynamoDB is down'));
    const { counters, totals } = recordingCounters();

    // Act
    const response = await createHandler(deps(counters))(eventOf([reading(0, 103)]));

    // Assess: nothing completed, so nothing is counted; the redelivery will count it.
    expect(response.batchItemFailures).toHaveLength(1);
    expect(totals).toEqual({});
  });

  it('counts an opening once when its message fails and the batch is redelivered', async () => {
    // Prepare: the state (with the message in its outbox) is written, SNS refuses the message.
    snsMock
      .on(PublishBatchCommand)
      .rejectsOnce(new Error('SNS is down'))
      .resolves({ Successful: [], Failed: [] });
    const event = eventOf([reading(0, 103)]);
    const first = recordingCounters();
    const redelivered = recordingCounters();

    // Act
    const firstResponse = await createHandler(deps(first.counters))(event);
    const secondResponse = await createHandler(deps(redelivered.counters))(event);

    // Assess
    expect(firstResponse.batchItemFailures).toHaveLength(1);
    expect(first.totals).toEqual({ ExcursionsOpened: 1 });
    expect(secondResponse.batchItemFailures).toEqual([]);
    expect(snsMock.commandCalls(PublishBatchCommand)).toHaveLength(2);
    expect(redelivered.totals).toEqual({ ReadingsProcessed: 1, Anomalies: 1 });
  });
});
