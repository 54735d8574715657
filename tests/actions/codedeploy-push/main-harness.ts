import { CodeDeployClient, type LifecycleEventStatus } from '@aws-sdk/client-codedeploy';
import { EC2Client } from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import type { CodeDeployPushDeps } from '../../../actions/codedeploy-push/src/main';
import { repoRoot } from '../../../local-pipeline/emulator/tools';
import { fakeIO } from '../../support/fake-io';

// The action run on the fixture revision folder beside this file, on push-harness.ts's mocked
// clients and healthy group. Shared by main.test.ts and main-targets.test.ts (each test file has
// its own module copy).
export { answerLikeAHealthyGroup, codedeploy, ec2, s3 } from './push-harness';

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
