import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { S3Client } from '@aws-sdk/client-s3';
import type { PullRequestComments, RunContext } from '../../shared/github';
import type { ActionIO } from '../../shared/io';
import type { Clock } from '../../shared/wait';
import type { CfnDeployInputs } from './inputs';

export interface CfnDeployDeps {
  readonly io: ActionIO;
  readonly cloudformation: CloudFormationClient;
  readonly s3: S3Client;
  readonly clock: Clock;
  readonly run: RunContext;
  readonly workspace: string;
  /** Present when a token was given and the run belongs to a pull request. */
  readonly pullRequestComments: ((token: string) => PullRequestComments) | undefined;
}

/** One invocation of the action: its dependencies, its validated inputs, when it started and when it must end. */
export interface Invocation {
  readonly deps: CfnDeployDeps;
  readonly inputs: CfnDeployInputs;
  readonly started: number;
  readonly deadline: number;
}

/** Seconds left before the deadline, for the SDK's waiters. */
export const secondsLeft = (invocation: Invocation): number =>
  Math.max(1, Math.floor((invocation.deadline - invocation.deps.clock.now()) / 1000));
