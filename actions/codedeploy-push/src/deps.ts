import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RunContext } from '../../shared/github';
import type { ActionIO } from '../../shared/io';
import type { Clock } from '../../shared/wait';

/** What the action's steps share: the runner, the clients (made in index.ts) and the clock. */
export interface CodeDeployPushDeps {
  readonly io: ActionIO;
  readonly codedeploy: CodeDeployClient;
  readonly s3: S3Client;
  readonly ec2: EC2Client;
  readonly clock: Clock;
  readonly run: RunContext;
  readonly workspace: string;
}
