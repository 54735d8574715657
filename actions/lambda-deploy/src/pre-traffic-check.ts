import { randomBytes } from 'node:crypto';
import { InvokeCommand, waitUntilPublishedVersionActive } from '@aws-sdk/client-lambda';
import { withContext } from '../../shared/errors';
import type { LambdaDeployDeps } from './deps';

/**
 * The pre-traffic check: the new version is invoked directly (never through the alias) with a
 * synthetic Kinesis batch built from the detector's contract - a normal, a hot and a cold
 * reading and one poison record - and must answer as the event source mapping expects: no
 * error, and a batch response with no batchItemFailures (the poison record is dead-lettered,
 * not failed, so it is never retried).
 */

export interface CheckResult {
  readonly passed: boolean;
  /** One line: what passed, or why not. */
  readonly message: string;
  readonly deviceId: string;
  /** The end of the invocation's log, when the check failed. */
  readonly logTail: string;
}

interface SyntheticRecord {
  readonly label: string;
  readonly sequenceNumber: string;
  readonly data: string;
}

/**
 * The reserved prefix of the check's device ids. The stack's e-mail subscription filters it out
 * (FilterPolicy on the deviceId attribute), so a release alerts nobody.
 */
export const CHECK_DEVICE_PREFIX = 'lambda-deploy-pre-traffic-check';

/** A device id no sensor has: a reserved prefix and a random part, fresh for every check. */
export function checkDeviceId(version: string): string {
  return `${CHECK_DEVICE_PREFIX}-v${version}-${randomBytes(6).toString('hex')}`;
}

export function syntheticBatch(deviceId: string, now: number): SyntheticRecord[] {
  const reading = (offsetMs: number, temperature: unknown) =>
    JSON.stringify({
      deviceId,
      timestamp: new Date(now + offsetMs).toISOString(),
      temperature,
      unit: 'F',
    });
  const base = BigInt(now) * 1000n;
  return [
    { label: 'normal', data: reading(0, 98.6) },
    { label: 'hot', data: reading(1000, 103.1) },
    { label: 'cold', data: reading(2000, 94.2) },
    { label: 'poison', data: reading(3000, 'not a number') },
  ].map((record, i) => ({ ...record, sequenceNumber: String(base + BigInt(i)) }));
}

function kinesisEvent(records: readonly SyntheticRecord[], region: string, deviceId: string) {
  return {
    Records: records.map((record) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: deviceId,
        sequenceNumber: record.sequenceNumber,
        data: Buffer.from(record.data).toString('base64'),
        approximateArrivalTimestamp: Date.now() / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${record.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: '',
      awsRegion: region,
      eventSourceARN: `arn:aws:kinesis:${region}:000000000000:stream/lambda-deploy-pre-traffic-check`,
    })),
  };
}

export async function preTrafficCheck(
  deps: LambdaDeployDeps,
  functionName: string,
  version: string,
): Promise<CheckResult> {
  const deviceId = checkDeviceId(version);
  const records = syntheticBatch(deviceId, deps.clock.now());
  await withContext(`version ${version} of ${functionName} did not become active`, () =>
    waitUntilPublishedVersionActive(
      { client: deps.lambda, maxWaitTime: 300, minDelay: 1, maxDelay: 5 },
      { FunctionName: functionName, Qualifier: version },
    ),
  );
  const region = await deps.lambda.config.region();
  deps.io.info(
    `Invoking version ${version} with a synthetic batch (normal, hot, cold, poison) for device ${deviceId}`,
  );
  const response = await withContext(`could not invoke version ${version} of ${functionName}`, () =>
    deps.lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        Qualifier: version,
        LogType: 'Tail',
        Payload: Buffer.from(JSON.stringify(kinesisEvent(records, region, deviceId))),
      }),
    ),
  );
  const logTail = response.LogResult
    ? Buffer.from(response.LogResult, 'base64').toString('utf8')
    : '';
  const payload = Buffer.from(response.Payload ?? new Uint8Array()).toString('utf8');
  const verdict = judge(version, records, response.FunctionError, payload);
  return { ...verdict, deviceId, logTail: verdict.passed ? '' : logTail };
}

function judge(
  version: string,
  records: readonly SyntheticRecord[],
  functionError: string | undefined,
  payload: string,
): { passed: boolean; message: string } {
  const failed = (why: string) => ({
    passed: false,
    message: `version ${version} failed the pre-traffic check: ${why}`,
  });
  if (functionError) return failed(`the invocation failed (${functionError}): ${errorOf(payload)}`);
  let response: unknown;
  try {
    response = JSON.parse(payload);
  } catch {
    return failed(`its response is not JSON: ${payload.slice(0, 200)}`);
  }
  const failures = (response as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (!Array.isArray(failures))
    return failed(`its response has no batchItemFailures list: ${payload.slice(0, 200)}`);
  const reported = failures.map((failure) =>
    String((failure as { itemIdentifier?: unknown }).itemIdentifier),
  );
  if (reported.length > 0) {
    const labels = reported.map(
      (id) =>
        records.find((record) => record.sequenceNumber === id)?.label ?? `unknown record ${id}`,
    );
    const poison = labels.includes('poison')
      ? ' (the poison record must be dead-lettered, not retried)'
      : '';
    return failed(`it reported batchItemFailures for the ${labels.join(', ')} record(s)${poison}`);
  }
  return {
    passed: true,
    message: `version ${version} passed the pre-traffic check (normal, hot, cold and poison records; no batchItemFailures)`,
  };
}

function errorOf(payload: string): string {
  try {
    const error = JSON.parse(payload) as { errorType?: string; errorMessage?: string };
    return `${error.errorType ?? 'Error'}: ${error.errorMessage ?? payload}`;
  } catch {
    return payload.slice(0, 300);
  }
}
