import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import { testClientConfig } from './clients';
import { readAppSpec, runRevision, type HookRun } from './codedeploy-agent';
import { LambdaDeployments } from './codedeploy-lambda';

/**
 * A stand-in for the CodeDeploy API, for the operations codedeploy-push uses (moto's
 * GetDeployment cannot be read by the JS SDK, its deployments never leave Created, and it has no
 * deployment targets). It also plays the instance's agent: a created deployment fetches the
 * revision from S3 (moto) and runs its hooks with the stand-in agent, in a scratch root.
 */

export interface StandInGroup {
  readonly application: string;
  readonly deploymentGroup: string;
  readonly instanceId: string;
}

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

interface Deployment {
  readonly id: string;
  readonly group: StandInGroup;
  readonly revision: { bucket: string; key: string };
  readonly description: string;
  readonly createTime: number;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  completeTime?: number;
  events: {
    lifecycleEventName: string;
    status: string;
    startTime?: number;
    endTime?: number;
    diagnostics?: Record<string, string>;
  }[];
  error?: { code: string; message: string };
  revisionDir?: string;
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

const EVENT_NAMES = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
];

export async function startCodeDeployStandIn(options: StandInOptions): Promise<CodeDeployStandIn> {
  const s3 = new S3Client(testClientConfig(options.s3Endpoint));
  const deployments: Deployment[] = [];
  const running: Promise<void>[] = [];
  let refusals = options.agentNotReadyFor ?? 0;
  const lambda = new LambdaDeployments(options.s3Endpoint);

  const findGroup = (application: string, name: string) => {
    const group = options.groups.find(
      (candidate) => candidate.application === application && candidate.deploymentGroup === name,
    );
    if (!group)
      throw new ServiceError(
        'DeploymentGroupDoesNotExistException',
        `No Deployment Group found for name: ${name}`,
      );
    return group;
  };
  const findDeployment = (id: string) => {
    const deployment = deployments.find((candidate) => candidate.id === id);
    if (!deployment)
      throw new ServiceError(
        'DeploymentDoesNotExistException',
        `The deployment ${id} could not be found.`,
      );
    return deployment;
  };

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    GetDeploymentGroup: (input) => {
      const group = findGroup(String(input.applicationName), String(input.deploymentGroupName));
      const mine = deployments.filter((deployment) => deployment.group === group);
      const lastSuccess = mine.filter((deployment) => deployment.status === 'Succeeded').at(-1);
      const lastAttempt = mine.at(-1);
      return {
        deploymentGroupInfo: {
          applicationName: group.application,
          deploymentGroupName: group.deploymentGroup,
          deploymentGroupId: `${group.application}-${group.deploymentGroup}`,
          ...(lastSuccess
            ? {
                lastSuccessfulDeployment: {
                  deploymentId: lastSuccess.id,
                  status: lastSuccess.status,
                  endTime: lastSuccess.completeTime,
                },
              }
            : {}),
          ...(lastAttempt
            ? {
                lastAttemptedDeployment: {
                  deploymentId: lastAttempt.id,
                  status: lastAttempt.status,
                },
              }
            : {}),
          ...(lastSuccess
            ? {
                targetRevision: {
                  revisionType: 'S3',
                  s3Location: { ...lastSuccess.revision, bundleType: 'zip' },
                },
              }
            : {}),
        },
      };
    },
    CreateDeployment: (input) => {
      const group = findGroup(String(input.applicationName), String(input.deploymentGroupName));
      const location = (input.revision as { s3Location: { bucket: string; key: string } })
        .s3Location;
      const deployment: Deployment = {
        id: `d-${randomBytes(5).toString('hex').toUpperCase()}`,
        group,
        revision: { bucket: location.bucket, key: location.key },
        description: typeof input.description === 'string' ? input.description : '',
        createTime: Date.now() / 1000,
        status: 'InProgress',
        events: EVENT_NAMES.map((name) => ({ lifecycleEventName: name, status: 'Pending' })),
      };
      deployments.push(deployment);
      running.push(refusals-- > 0 ? refuse(deployment) : deploy(deployment));
      return { deploymentId: deployment.id };
    },
    GetDeployment: (input) => {
      const deployment = findDeployment(String(input.deploymentId));
      return {
        deploymentInfo: {
          deploymentId: deployment.id,
          applicationName: deployment.group.application,
          deploymentGroupName: deployment.group.deploymentGroup,
          status: deployment.status,
          description: deployment.description,
          createTime: deployment.createTime,
          ...(deployment.completeTime ? { completeTime: deployment.completeTime } : {}),
          revision: {
            revisionType: 'S3',
            s3Location: { ...deployment.revision, bundleType: 'zip' },
          },
          ...(deployment.error ? { errorInformation: deployment.error } : {}),
        },
      };
    },
    ListDeploymentTargets: (input) => ({
      targetIds: [findDeployment(String(input.deploymentId)).group.instanceId],
    }),
    BatchGetDeploymentTargets: (input) => {
      const deployment = findDeployment(String(input.deploymentId));
      return {
        deploymentTargets: [
          {
            deploymentTargetType: 'InstanceTarget',
            instanceTarget: {
              deploymentId: deployment.id,
              targetId: deployment.group.instanceId,
              status: deployment.status,
              lifecycleEvents: deployment.events,
            },
          },
        ],
      };
    },
  };

  async function refuse(deployment: Deployment): Promise<void> {
    deployment.status = 'Failed';
    deployment.completeTime = Date.now() / 1000;
    deployment.error = {
      code: 'HEALTH_CONSTRAINTS',
      message:
        'The overall deployment failed because too many individual instances failed deployment',
    };
    deployment.events = deployment.events.map((event) => ({ ...event, status: 'Skipped' }));
    return Promise.resolve();
  }

  async function deploy(deployment: Deployment): Promise<void> {
    const instanceDir = join(options.workDir, deployment.group.instanceId);
    const revisionDir = join(instanceDir, 'deployment-archive', deployment.id);
    const startTime = Date.now() / 1000;
    try {
      const object = await s3.send(
        new GetObjectCommand({ Bucket: deployment.revision.bucket, Key: deployment.revision.key }),
      );
      extract(await object.Body!.transformToByteArray(), revisionDir);
      const previous = deployments
        .filter((other) => other.group === deployment.group && other.status === 'Succeeded')
        .at(-1);
      const run = await runRevision({
        revisionDir,
        previousRevisionDir: previous?.revisionDir,
        root: join(instanceDir, 'root'),
        stateDir: join(instanceDir, 'state'),
        env: options.hookEnv,
        deploymentId: deployment.id,
        applicationName: deployment.group.application,
        deploymentGroupName: deployment.group.deploymentGroup,
      });
      deployment.events = EVENT_NAMES.map((name) => lifecycleEvent(name, run.events, startTime));
      deployment.status = run.status;
      deployment.revisionDir = revisionDir;
      if (run.status === 'Failed')
        deployment.error = {
          code: 'SCRIPT_FAILED',
          message: 'One or more lifecycle events did not run and the deployment was unsuccessful.',
        };
    } catch (error) {
      deployment.status = 'Failed';
      deployment.error = { code: 'REVISION_MISSING', message: String(error) };
    }
    deployment.completeTime = Date.now() / 1000;
  }

  const server = createServer((request, response) => {
    void readJson(request).then((input) => {
      const operation =
        String(request.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      const lambdaAnswer = lambda.answer(operation, input);
      if (lambdaAnswer) {
        response.writeHead(lambdaAnswer.status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(lambdaAnswer.body));
        return;
      }
      try {
        const handler = operations[operation];
        if (!handler)
          throw new ServiceError(
            'UnknownOperationException',
            `The stand-in does not implement ${operation}`,
          );
        response
          .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify(handler(input)));
      } catch (error) {
        const name = error instanceof ServiceError ? error.code : 'InternalFailure';
        response
          .writeHead(error instanceof ServiceError ? 400 : 500, {
            'content-type': 'application/x-amz-json-1.1',
          })
          .end(
            JSON.stringify({
              __type: name,
              message: String(error instanceof Error ? error.message : error),
            }),
          );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    groups: options.groups,
    deployments,
    lambda,
    settled: async () => {
      await Promise.all([...running, lambda.settled()]);
    },
    stop: async () => {
      await Promise.all(running);
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Unzips the revision; hook scripts are made executable, as the agent runs them directly. */
function extract(zip: Uint8Array, target: string): void {
  for (const [path, data] of Object.entries(unzipSync(zip))) {
    if (path.endsWith('/')) continue;
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), data);
  }
  const hooks = Object.values(readAppSpec(target).hooks ?? {}).flatMap((list) => list);
  for (const hook of hooks) chmodSync(join(target, hook.location), 0o755);
}

function lifecycleEvent(name: string, runs: readonly HookRun[], startTime: number) {
  if (name === 'DownloadBundle')
    return { lifecycleEventName: name, status: 'Succeeded', startTime, endTime: startTime };
  const run = runs.find((candidate) => candidate.event === name);
  if (!run)
    return {
      lifecycleEventName: name,
      status: runs.some((candidate) => candidate.status === 'Failed') ? 'Skipped' : 'Pending',
    };
  const status = run.status === 'Skipped' ? 'Succeeded' : run.status;
  return {
    lifecycleEventName: name,
    status,
    startTime,
    endTime: startTime + run.durationMs / 1000,
    diagnostics: {
      errorCode: run.errorCode ?? 'Success',
      scriptName: run.script ?? '',
      message:
        run.status === 'Failed'
          ? `Script at specified location: ${run.script ?? ''} run as user root failed with exit code ${String(run.exitCode)}`
          : 'Succeeded',
      logTail: run.logTail,
    },
  };
}

function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      resolve(body ? (JSON.parse(body) as Record<string, unknown>) : {});
    });
  });
}
