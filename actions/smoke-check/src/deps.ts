import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { ActionIO } from '../../shared/io';
import type { Clock } from '../../shared/wait';

export interface SmokeCheckDeps {
  readonly io: ActionIO;
  readonly kinesis: KinesisClient;
  readonly dynamodb: DynamoDBClient;
  readonly clock: Clock;
  /** GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT make each run's reading its own. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The known reading, as the detector's contract has it. */
export interface KnownReading {
  readonly deviceId: string;
  readonly timestamp: string;
  readonly temperature: number;
  readonly unit: 'F';
}
