import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { StateError, withContext } from '../../shared/errors';
import type { KnownReading, SmokeCheckDeps } from './deps';
import type { SmokeCheckInputs } from './inputs';

/** The reading this run puts: its own device id (run and attempt), now, the chosen temperature. */
export function knownReading(deps: SmokeCheckDeps, inputs: SmokeCheckInputs): KnownReading {
  const run = [deps.env.GITHUB_RUN_ID, deps.env.GITHUB_RUN_ATTEMPT].filter(Boolean).join('-');
  return {
    deviceId: run ? `${inputs.deviceId}-${run}` : inputs.deviceId,
    timestamp: new Date(deps.clock.now()).toISOString(),
    temperature: inputs.temperature,
    unit: 'F',
  };
}

export async function putReading(
  deps: SmokeCheckDeps,
  inputs: SmokeCheckInputs,
  reading: KnownReading,
): Promise<string> {
  const response = await withContext(
    `could not put the known reading on stream ${inputs.streamName}`,
    () =>
      deps.kinesis.send(
        new PutRecordCommand({
          StreamName: inputs.streamName,
          PartitionKey: reading.deviceId,
          Data: Buffer.from(JSON.stringify(reading)),
        }),
      ),
  );
  return response.SequenceNumber ?? '';
}

/** Reads the reading's item until it is there or the wait is over; its anomaly, or a StateError. */
export async function waitForAnomaly(
  deps: SmokeCheckDeps,
  inputs: SmokeCheckInputs,
  reading: KnownReading,
  deadline: number,
): Promise<string> {
  for (;;) {
    const { Item } = await withContext(`could not read table ${inputs.tableName}`, () =>
      deps.dynamodb.send(
        new GetItemCommand({
          TableName: inputs.tableName,
          Key: { deviceId: { S: reading.deviceId }, timestamp: { S: reading.timestamp } },
          ConsistentRead: true,
        }),
      ),
    );
    if (Item) return Item.anomaly?.S ?? '';
    const left = deadline - deps.clock.now();
    if (left <= 0)
      throw new StateError(
        `The known reading (${reading.deviceId} at ${reading.timestamp}, ${reading.temperature} °F) ` +
          `put on ${inputs.streamName} was not stored in ${inputs.tableName} within ` +
          `${inputs.timeoutSeconds}s: the detector did not process it (see its logs, its event ` +
          `source mapping and the dead-letter queue).`,
      );
    await deps.clock.sleep(Math.min(inputs.pollSeconds * 1000, left));
  }
}
