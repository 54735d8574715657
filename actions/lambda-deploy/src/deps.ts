import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RunContext } from '../../shared/github';
import type { ActionIO } from '../../shared/io';
import type { Clock } from '../../shared/wait';

export interface LambdaDeployDeps {
  readonly io: ActionIO;
  readonly lambda: LambdaClient;
  readonly s3: S3Client;
  readonly codedeploy: CodeDeployClient;
  readonly clock: Clock;
  readonly run: RunContext;
  readonly workspace: string;
  /** Bundles an entry into one CommonJS file (esbuild); the code of index.js. */
  readonly bundle: (entry: string) => Promise<Uint8Array>;
}
