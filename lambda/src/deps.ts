import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { loadConfig, type DetectorConfig } from './config';
import { createLogger, logTo, type LogEntry } from './log';
import type { ExcursionCounters } from './metrics';
import type { Sleep } from './store';

export interface DetectorDeps {
  readonly config: DetectorConfig;
  readonly dynamo: DynamoDBClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  /** Writes one structured log entry (handler.ts: a Powertools Logger JSON line on stdout). */
  readonly log: (entry: LogEntry) => void;
  readonly now: () => number;
  readonly sleep: Sleep;
  /** Where the detector counts what it did, for its CloudWatch metrics (handler.ts). */
  readonly counters?: ExcursionCounters;
}

export type DetectorHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

/**
 * The real dependencies, from the function's environment. Region, credentials and endpoint
 * (`AWS_ENDPOINT_URL`) are the SDK's standard ones. Configuration is validated here, at cold
 * start, so a mistake fails the first invocation with a message naming the variable.
 */
export function fromEnv(
  env: NodeJS.ProcessEnv = process.env,
  log: DetectorDeps['log'] = logTo(createLogger(env)),
): DetectorDeps {
  return {
    config: loadConfig(env),
    dynamo: new DynamoDBClient({}),
    // Most batches hold only normal readings: they never alert or dead-letter, so a cold start
    // does not build these two clients (npm run bench measures both the start and the first call).
    sns: onFirstUse(() => new SNSClient({})),
    // Send to the configured endpoint (AWS_ENDPOINT_URL when set) rather than the queue URL's host:
    // in AWS they are the same regional endpoint; elsewhere the endpoint setting must win.
    sqs: onFirstUse(() => new SQSClient({ useQueueUrlAsEndpoint: false })),
    log,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** A client that is created the first time anything of it is used, then used as itself. */
export function onFirstUse<Client extends object>(create: () => Client): Client {
  let client: Client | undefined;
  return new Proxy({} as Client, {
    get(_, property) {
      client ??= create();
      const value: unknown = Reflect.get(client, property, client);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(client)
        : value;
    },
  });
}
