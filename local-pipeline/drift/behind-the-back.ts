import { IncreaseStreamRetentionPeriodCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { testClientConfig } from '../emulator/clients';

/** The two changes someone makes by hand in the console, as `--drift` and the tests make them. */
export interface HandChanges {
  readonly streamName: string;
  readonly retentionHours: number;
  readonly functionName: string;
  readonly timeoutSeconds: number;
}

/** What `--drift` and the tests change on the stack as deployed with its defaults. */
export const HAND_CHANGES: HandChanges = {
  streamName: 'm03p02_raw_data_stream',
  retentionHours: 240,
  functionName: 'm03p02_anomaly_detector',
  timeoutSeconds: 120,
};

/** Changes the stream's retention and the function's timeout outside CloudFormation. */
export async function changeBehindTheStacksBack(
  endpoint: string,
  changes: HandChanges,
): Promise<void> {
  await new KinesisClient(testClientConfig(endpoint)).send(
    new IncreaseStreamRetentionPeriodCommand({
      StreamName: changes.streamName,
      RetentionPeriodHours: changes.retentionHours,
    }),
  );
  await new LambdaClient(testClientConfig(endpoint)).send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: changes.functionName,
      Timeout: changes.timeoutSeconds,
    }),
  );
}
