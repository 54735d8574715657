import { S3Client } from '@aws-sdk/client-s3';
import { testClientConfig } from '../emulator/clients';
import { instanceDeploymentOperations } from './codedeploy-standin-api';
import {
  refuseDeployment,
  runDeployment,
  type Deployment,
  type StandInGroup,
} from './codedeploy-standin-deployment';
import { LambdaDeployments } from './codedeploy-lambda';
import { startJsonServer } from './json-server';

export type { StandInGroup } from './codedeploy-standin-deployment';

/**
 * A stand-in for the CodeDeploy API, for the operations codedeploy-push uses (moto's
 * GetDeployment cannot be read by the JS SDK, its deployments never leave Created, and it has no
 * deployment targets). It also plays the instance's agent: a created deployment fetches the
 * revision from S3 (moto) and runs its hooks with the stand-in agent, in a scratch root.
 */

export interface StandInOptions {
  readonly s3Endpoint: string;
  /** Groups the stand-in knows; may grow while it runs (e.g. once a stack has created them). */
  readonly groups: StandInGroup[];
  /** Scratch directory for revisions and each instance's root. */
  readonly workDir: string;
  /** Environment of the hooks (emulator endpoint, fake IMDS, PATH…). */
  readonly hookEnv: Readonly<Record<string, string>>;
  /** Deployments that fail before any hook runs, as when a new instance's agent is not up yet. */
  readonly agentNotReadyFor?: number;
}

export interface CodeDeployStandIn {
  readonly endpoint: string;
  /** The groups it serves; add one when a stack creates it. */
  readonly groups: StandInGroup[];
  readonly deployments: readonly Deployment[];
  /** Deployments of Lambda deployment groups (traffic shifting), in their own module. */
  readonly lambda: LambdaDeployments;
  /** Resolves once every deployment created so far has finished. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export async function startCodeDeployStandIn(options: StandInOptions): Promise<CodeDeployStandIn> {
  const s3 = new S3Client(testClientConfig(options.s3Endpoint));
  const deployments: Deployment[] = [];
  const running: Promise<void>[] = [];
  let refusals = options.agentNotReadyFor ?? 0;
  const lambda = new LambdaDeployments(options.s3Endpoint);
  const operations = instanceDeploymentOperations(options.groups, deployments, (deployment) => {
    running.push(
      refusals-- > 0 ? refuseDeployment(deployment) : runDeployment(deployment, s3, options),
    );
  });

  // Requests about Lambda deployment groups are answered by their own module first.
  const server = await startJsonServer(operations, (operation, input) =>
    lambda.answer(operation, input),
  );
  return {
    endpoint: server.endpoint,
    groups: options.groups,
    deployments,
    lambda,
    settled: async () => {
      await Promise.all([...running, lambda.settled()]);
    },
    stop: async () => {
      await Promise.all(running);
      await server.stop();
    },
  };
}
