import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  type LifecycleEvent,
} from '@aws-sdk/client-codedeploy';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { CodeDeployPushDeps } from '../../../actions/codedeploy-push/src/main';
import { deterministicZip, directoryEntries, sha256Hex } from '../../../actions/shared/zip';
import { fakeIO } from '../../support/fake-io';

// The action as a workflow runs it on a revision folder of its own: the requests it sends,
// what it logs, its outputs, annotations and job summary. The clock moves only when it sleeps.
// Shared by push.test.ts and push-failures.test.ts (each test file has its own module copy).
export const codedeploy = mockClient(CodeDeployClient);
export const s3 = mockClient(S3Client);
export const ec2 = mockClient(EC2Client);

/** A revision folder with an appspec whose hook exists; returns the workspace. */
export function workspaceWithRevision(appspec = 'version: 0.0\nos: linux\n'): string {
  const workspace = mkdtempSync(join(tmpdir(), 'codedeploy-push-'));
  mkdirSync(join(workspace, 'rev', 'scripts'), { recursive: true });
  writeFileSync(join(workspace, 'rev', 'appspec.yml'), appspec);
  writeFileSync(join(workspace, 'rev', 'scripts', 'start.sh'), '#!/bin/sh\n');
  return workspace;
}

export function deps(inputs: Record<string, string> = {}, workspace = workspaceWithRevision()) {
  let now = 0;
  const sleeps: number[] = [];
  const io = fakeIO({
    application: 'app',
    'deployment-group': 'group',
    's3-bucket': 'artifacts',
    revision: 'rev',
    ...inputs,
  });
  const value: CodeDeployPushDeps = {
    io,
    codedeploy: new CodeDeployClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    ec2: new EC2Client({ region: 'us-east-1' }),
    clock: { now: () => now, sleep: (ms) => ((now += ms), sleeps.push(ms), Promise.resolve()) },
    run: {
      sha: '0123456789abcdef0123456789abcdef01234567',
      runUrl: 'https://github.com/o/r/actions/runs/1',
      repository: 'o/r',
      eventName: 'push',
      pullRequestNumber: undefined,
    },
    workspace,
  };
  const key = `codedeploy/app/${sha256Hex(deterministicZip(directoryEntries(join(workspace, 'rev'))))}.zip`;
  return { io, value, sleeps, key, workspace };
}

export const targets = (...events: LifecycleEvent[]) => ({
  deploymentTargets: [{ instanceTarget: { targetId: 'i-1', lifecycleEvents: events } }],
});
const notFound = Object.assign(new Error('not found'), { name: 'NotFound' });

/** Before each test: a group with one instance where every call succeeds; tests override the rest. */
export function answerLikeAHealthyGroup(): void {
  beforeEach(() => {
    codedeploy.reset();
    s3.reset();
    ec2.reset();
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    s3.on(HeadObjectCommand).rejects(notFound);
    s3.on(PutObjectCommand).resolves({});
    codedeploy.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: {} });
    codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEW' });
    codedeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['i-1'] });
    codedeploy.on(BatchGetDeploymentTargetsCommand).resolves(targets());
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Succeeded' } });
  });
}
