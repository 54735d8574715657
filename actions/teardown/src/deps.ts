import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ActionIO } from '../../shared/io';
import type { Clock } from '../../shared/wait';
import type { TeardownInputs } from './inputs';

export interface TeardownDeps {
  readonly io: ActionIO;
  readonly cloudformation: CloudFormationClient;
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly clock: Clock;
}

/** One invocation of the action: its dependencies, its validated inputs, when it started and when every wait ends. */
export interface Invocation {
  readonly deps: TeardownDeps;
  readonly inputs: TeardownInputs;
  readonly started: number;
  readonly deadline: number;
}

export interface Backup {
  readonly table: string;
  readonly arn: string;
}
