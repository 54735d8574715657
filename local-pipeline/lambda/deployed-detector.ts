import { join } from 'node:path';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
} from '@aws-sdk/client-lambda';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { emulatorEnvironment, testClientConfig, TEST_REGION } from '../emulator/clients';
import { KinesisPoller, type Handler, type OnFailureDestination } from './kinesis-poller';
import { repoRoot } from '../emulator/tools';

/**
 * The built detector as the deployed stack runs it: the bundle loaded with the function's
 * environment, fed by a poller with the settings of the function's event source mapping.
 */

/**
 * The detector's AWS calls go through the fault proxy (`proxy`); the poller reads the stream
 * and writes on-failure batches on moto directly, as the Lambda service would.
 */
export async function deployedDetector(
  outputs: Readonly<Record<string, string>>,
  endpoints: { readonly moto: string; readonly proxy: string },
  overrides: Record<string, string>,
): Promise<KinesisPoller> {
  const config = testClientConfig(endpoints.moto);
  const lambda = new LambdaClient(config);
  const functionName = outputs.FunctionName ?? '';
  const { Environment } = await lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: functionName }),
  );
  const { EventSourceMappings = [] } = await lambda.send(
    // The mapping invokes the live alias.
    new ListEventSourceMappingsCommand({
      FunctionName: outputs.DetectorAliasArn ?? functionName,
    }),
  );
  const mapping = EventSourceMappings[0];
  const handler = loadDetector({
    ...(Environment?.Variables ?? {}),
    ...emulatorEnvironment(endpoints.proxy),
    ...overrides,
  });
  return new KinesisPoller(
    new KinesisClient(config),
    { sqs: new SQSClient(config), s3: new S3Client(config) },
    { name: outputs.StreamName ?? '', arn: outputs.StreamArn ?? '', region: TEST_REGION },
    {
      batchSize: mapping?.BatchSize ?? 100,
      batchingWindowSeconds: mapping?.MaximumBatchingWindowInSeconds ?? 0,
      maximumRetryAttempts: mapping?.MaximumRetryAttempts ?? -1,
      reportBatchItemFailures: (mapping?.FunctionResponseTypes ?? []).includes(
        'ReportBatchItemFailures',
      ),
      onFailure: onFailureDestination(
        mapping?.DestinationConfig?.OnFailure?.Destination,
        endpoints.moto,
      ),
      mappingId: mapping?.UUID ?? 'local',
    },
    handler,
  );
}

/** The mapping's on-failure destination ARN as the poller addresses it on the emulator. */
function onFailureDestination(
  arn: string | undefined,
  motoEndpoint: string,
): OnFailureDestination | undefined {
  const name = arn?.split(':').pop() ?? '';
  if (arn?.startsWith('arn:aws:s3:')) return { type: 's3', bucket: name };
  if (arn?.startsWith('arn:aws:sqs:')) {
    return { type: 'sqs', queueUrl: `${motoEndpoint}/123456789012/${name}` };
  }
  return undefined;
}

/** Loads lambda/dist/index.js afresh with `env` set, as a cold start would. */
export function loadDetector(env: Record<string, string>): Handler {
  Object.assign(process.env, env);
  const bundle = join(repoRoot, 'lambda', 'dist', 'index.js');
  const modulePath = require.resolve(bundle);
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a cold start needs a fresh module
  delete require.cache[modulePath];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle is loaded as Lambda loads it
  return (require(modulePath) as { handler: Handler }).handler;
}
