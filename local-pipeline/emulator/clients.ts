import { NodeHttpHandler } from '@smithy/node-http-handler';

export const TEST_REGION = 'us-east-1';

/** Dummy credentials: moto accepts any, and real ones must never be used by tests. */
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/**
 * The configuration every test AWS client takes: the emulator (or fault proxy) endpoint,
 * dummy credentials, a fixed region, HTTP/1.1 (moto does not speak HTTP/2, which the
 * Kinesis client uses by default) and path-style S3 addressing (no bucket subdomains on
 * 127.0.0.1). Fast retries keep fault-injection tests quick.
 */
export function testClientConfig(endpoint: string) {
  return {
    endpoint,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    forcePathStyle: true,
    requestHandler: new NodeHttpHandler(),
  };
}

/**
 * The environment a child process (an action bundle, the producer, the Lambda) needs to reach
 * the emulator the standard way: AWS_ENDPOINT_URL, region and dummy credentials.
 */
export function emulatorEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: TEST_REGION,
    AWS_DEFAULT_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
