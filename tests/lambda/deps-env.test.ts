import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { ConfigurationError } from '../../lambda/src/config';
import { fromEnv } from '../../lambda/src/deps';

// The function's real dependencies, as the deployed handler gets them from its environment.
const environment = {
  ANOMALY_TABLE_NAME: 'm03p02_anomaly_data',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:m03p02_anomaly_alerts',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters',
};

describe('fromEnv (the deployed function’s dependencies)', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('validates the configuration at cold start, naming the variable', () => {
    expect(fromEnv(environment).config.tableName).toBe('m03p02_anomaly_data');
    expect(() => fromEnv({ ...environment, ANOMALY_TABLE_NAME: '' })).toThrow(ConfigurationError);
    expect(() => fromEnv({ ...environment, ANOMALY_TABLE_NAME: '' })).toThrow('ANOMALY_TABLE_NAME');
  });

  it('writes each log entry to stdout as one JSON line (what CloudWatch Logs takes)', () => {
    const written: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });

    fromEnv(environment).log({ level: 'INFO', message: 'kinesis batch processed', records: 3 });

    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\{.*\}\n$/);
    expect(JSON.parse(written[0]!)).toMatchObject({
      level: 'INFO',
      message: 'kinesis batch processed',
      records: 3,
    });
  });

  it('tells the time from the clock and sleeps for as long as asked', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 10, 21, 10) });
    const deps = fromEnv(environment);
    let woke = false;

    const sleeping = deps.sleep(250).then(() => {
      woke = true;
    });
    await jest.advanceTimersByTimeAsync(249);
    const beforeTime = woke;
    await jest.advanceTimersByTimeAsync(1);
    await sleeping;

    expect(beforeTime).toBe(false);
    expect(woke).toBe(true);
    expect(deps.now()).toBe(Date.UTC(2026, 10, 21, 10) + 250);
  });
});

describe('fromEnv: where dead letters go', () => {
  let server: Server;
  const requests: { host: string | undefined; url: string | undefined }[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      requests.push({ host: request.headers.host, url: request.url });
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ MessageId: 'm-1', MD5OfMessageBody: '' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends to the configured endpoint, not to the host the queue URL names', async () => {
    const { port } = server.address() as AddressInfo;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
    const { sqs, config } = fromEnv(environment);

    await sqs
      .send(new SendMessageCommand({ QueueUrl: config.deadLetterQueueUrl, MessageBody: '{}' }))
      .catch(() => undefined);

    expect(requests).toEqual([{ host: `127.0.0.1:${port}`, url: '/' }]);
  });
});
