import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  type LifecycleEventStatus,
} from '@aws-sdk/client-codedeploy';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { CodeDeployPushDeps } from '../../../actions/codedeploy-push/src/main';
import { fakeIO } from '../../support/fake-io';
import { repoRoot } from '../../../local-pipeline/emulator/tools';

// The action run on the fixture revision folder beside this file, with the AWS clients mocked and
// a clock that moves only when it sleeps. Shared by main.test.ts and main-targets.test.ts (each
// test file has its own module copy).
export const codedeploy = mockClient(CodeDeployClient);
export const s3 = mockClient(S3Client);
export const ec2 = mockClient(EC2Client);

export function deps(inputs: Record<string, string> = {}) {
  let now = 0;
  const sleeps: number[] = [];
  const io = fakeIO({
    application: 'app',
    'deployment-group': 'group',
    's3-bucket': 'artifacts',
    revision: 'tests/actions/codedeploy-push/fixture',
    ...inputs,
  });
  const value: CodeDeployPushDeps = {
    io,
    codedeploy: new CodeDeployClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    ec2: new EC2Client({ region: 'us-east-1' }),
    clock: { now: () => now, sleep: (ms) => ((now += ms), sleeps.push(ms), Promise.resolve()) },
    run: {
      sha: 'abc',
      runUrl: 'https://run',
      repository: 'o/r',
      eventName: 'push',
      pullRequestNumber: undefined,
    },
    workspace: repoRoot,
  };
  return { io, value, sleeps };
}

export const target = (status: LifecycleEventStatus) => ({
  deploymentTargets: [
    {
      instanceTarget: {
        targetId: 'i-1',
        lifecycleEvents: [{ lifecycleEventName: 'BeforeInstall', status }],
      },
    },
  ],
});

/** Before each test: a group with one instance where every call succeeds; tests override the rest. */
export function answerLikeAHealthyGroup(): void {
  beforeEach(() => {
    codedeploy.reset();
    s3.reset();
    ec2.reset();
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('not found'), { name: 'NotFound' }));
    s3.on(PutObjectCommand).resolves({});
    codedeploy.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: {} });
    codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEW' });
    codedeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['i-1'] });
    codedeploy.on(BatchGetDeploymentTargetsCommand).resolves(target('Succeeded'));
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Succeeded' } });
  });
}
