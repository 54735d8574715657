import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadConfig } from './config';
import type { DetectorDeps } from './detector';

/**
 * The real dependencies, from the function's environment. Region, credentials and endpoint
 * (`AWS_ENDPOINT_URL`) are the SDK's standard ones. Configuration is validated here, at cold
 * start, so a mistake fails the first invocation with a message naming the variable.
 */
export function fromEnv(env: NodeJS.ProcessEnv = process.env): DetectorDeps {
  return {
    config: loadConfig(env),
    dynamo: new DynamoDBClient({}),
    // Most batches hold only normal readings: they never alert or dead-letter, so a cold start
    // does not build these two clients (npm run bench measures both the start and the first call).
    sns: onFirstUse(() => new SNSClient({})),
    // Send to the configured endpoint (AWS_ENDPOINT_URL when set) rather than the queue URL's host:
    // in AWS they are the same regional endpoint; elsewhere the endpoint setting must win.
    sqs: onFirstUse(() => new SQSClient({ useQueueUrlAsEndpoint: false })),
    log: (line) => {
      process.stdout.write(`${line}\n`);
    },
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
