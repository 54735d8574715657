import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { publishAlerts } from '../../lambda/src/alerts';
import { sendDeadLetters, type DeadLetter } from '../../lambda/src/dead-letter';

// Batch calls to SNS and SQS: a response that lists no failed entries means every entry got
// through, and the dead letters of one SendMessageBatch call stay within its 256 KiB.
const snsMock = mockClient(SNSClient);
const sqsMock = mockClient(SQSClient);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:alerts';
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters';

const letter = (index: number, reason = 'data is not JSON'): DeadLetter => ({
  index,
  sequenceNumber: `4959${index}`,
  partitionKey: 'DHT-001',
  eventSourceArn: undefined,
  reason,
  data: 'eyJ4IjoxfQ==',
});

beforeEach(() => {
  snsMock.reset();
  sqsMock.reset();
});

describe('a batch response without a Failed list', () => {
  it('counts every alert as sent', async () => {
    snsMock.on(PublishBatchCommand).resolves({ Successful: [] });
    const alerts = ['A', 'B'].map((deviceId) => ({ deviceId, subject: 's', message: 'm' }));

    const result = await publishAlerts(snsMock as unknown as SNSClient, TOPIC, alerts);

    expect(result).toEqual({ failedDevices: new Set(), sent: 2 });
  });

  it('leaves no dead letter unsent', async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [] });

    const failed = await sendDeadLetters(sqsMock as unknown as SQSClient, QUEUE, [letter(0)]);

    expect(failed).toEqual([]);
  });
});

describe('dead letters of one request', () => {
  it('start a new request before their bodies pass 240 KiB', async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    // Ten letters of about 30 KB each: eight fit in 240 KiB.
    const letters = Array.from({ length: 10 }, (_, i) => letter(i, 'x'.repeat(30_000)));

    const failed = await sendDeadLetters(sqsMock as unknown as SQSClient, QUEUE, letters);

    expect(failed).toEqual([]);
    const sizes = sqsMock
      .commandCalls(SendMessageBatchCommand)
      .map((call) => call.args[0].input.Entries?.length);
    expect(sizes).toEqual([8, 2]);
  });
});
