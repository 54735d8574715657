import type { CodeDeployClient, DeploymentInfo, LifecycleEvent } from '@aws-sdk/client-codedeploy';
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

/** The zipped revision and where it lives: its key is its content hash. */
export interface Revision {
  readonly bucket: string;
  readonly key: string;
  readonly zip: Buffer;
}

export interface TargetEvents {
  readonly targetId: string;
  readonly status: string | undefined;
  readonly events: readonly LifecycleEvent[];
}

export interface Outcome {
  readonly info: DeploymentInfo;
  readonly targets: readonly TargetEvents[];
}

export const IN_PROGRESS = new Set(['Created', 'Queued', 'InProgress', 'Baking', 'Ready']);
