import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { createLogger, logTo, withCorrelation } from '../../lambda/src/log';
import { kinesisEvent, kinesisRecord, readingJson } from './events';

// The detector's log lines as CloudWatch Logs receives them: Powertools Logger JSON on stdout
// and stderr (Lambda sends both).

let written: string[];

beforeEach(() => {
  written = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
  }
});

afterEach(() => jest.restoreAllMocks());

const lines = () => written.map((line) => JSON.parse(line) as Record<string, unknown>);
const context = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  functionName: 'anomaly-detector',
  functionVersion: '7',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:anomaly-detector:live',
  memoryLimitInMB: '256',
} as Context;
const event = (): KinesisStreamEvent =>
  kinesisEvent([
    kinesisRecord(readingJson({ deviceId: 'A', timestamp: '2026-11-21T10:00:00.000Z' }), 0),
  ]);

describe('the detector log', () => {
  it('writes an entry as one JSON line with its level, message, fields and service', () => {
    const log = logTo(createLogger({ POWERTOOLS_SERVICE_NAME: 'anomaly-detection' }));

    log({ level: 'WARN', message: 'kinesis batch processed', failed: 2 });

    expect(written).toHaveLength(1);
    expect(lines()[0]).toMatchObject({
      level: 'WARN',
      message: 'kinesis batch processed',
      failed: 2,
      service: 'anomaly-detection',
    });
  });

  it.each([
    ['POWERTOOLS_LOG_LEVEL', { POWERTOOLS_LOG_LEVEL: 'WARN' }],
    ['POWERTOOLS_LOG_LEVEL, spaced and in lower case', { POWERTOOLS_LOG_LEVEL: ' warn ' }],
    ["the function's AWS_LAMBDA_LOG_LEVEL", { AWS_LAMBDA_LOG_LEVEL: ' WARN ' }],
    [
      'POWERTOOLS_LOG_LEVEL before AWS_LAMBDA_LOG_LEVEL',
      { POWERTOOLS_LOG_LEVEL: 'WARN', AWS_LAMBDA_LOG_LEVEL: 'DEBUG' },
    ],
  ])('takes its level from %s: WARN keeps warnings only', (_from, env) => {
    const log = logTo(createLogger(env));

    log({ level: 'INFO', message: 'kinesis batch processed' });
    log({ level: 'WARN', message: 'kinesis batch processed' });

    expect(lines().map((line) => line.level)).toEqual(['WARN']);
  });

  it('names the service POWERTOOLS_SERVICE_NAME names, without the spaces around it', () => {
    logTo(createLogger({ POWERTOOLS_SERVICE_NAME: ' anomaly-stack ' }))({
      level: 'INFO',
      message: 'kinesis batch processed',
    });

    expect(lines()[0]).toMatchObject({ service: 'anomaly-stack' });
  });

  it("correlates an invocation's line with its request id and the batch's first sequence number", async () => {
    const logger = createLogger({});
    const log = logTo(logger);
    const handler = withCorrelation(logger, () => {
      log({ level: 'INFO', message: 'kinesis batch processed' });
      return Promise.resolve({ batchItemFailures: [] });
    });
    const batch = event();

    await handler(batch, context);
    await handler(kinesisEvent([]));

    expect(lines()[0]).toMatchObject({
      function_request_id: context.awsRequestId,
      firstSequenceNumber: batch.Records[0]!.kinesis.sequenceNumber,
    });
    expect(lines()[1]).not.toHaveProperty('firstSequenceNumber');
  });
});
