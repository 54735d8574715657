import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { runActionBundle, TEST_SHA } from '../../../local-pipeline/workflows/action-runner';
import { createStream } from '../../support/aws';
import { emulatorEnvironment, testClientConfig } from '../../../local-pipeline/emulator/clients';
import { instancePaths, stopServices } from '../../../local-pipeline/codedeploy/codedeploy-agent';
import {
  startCodeDeployStandIn,
  type CodeDeployStandIn,
} from '../../../local-pipeline/codedeploy/codedeploy-standin';
import { motoEndpoint } from '../../support/emulator';
import { startFakeImds, type FakeImds } from '../../../local-pipeline/codedeploy/fake-imds';
import {
  isMutating,
  startFaultProxy,
  type FaultProxy,
} from '../../../local-pipeline/emulator/fault-proxy';
import { repoRoot } from '../../../local-pipeline/emulator/tools';

let proxy: FaultProxy;
let imds: FakeImds;
let codedeploy: CodeDeployStandIn;
let scratch: string;
const INSTANCE = 'i-0123456789abcdef0';
const STOP_INSTANCE = 'i-0000000000000a5a0';

function push(inputs: Record<string, string> = {}, workspace = repoRoot) {
  return runActionBundle(
    'codedeploy-push',
    {
      application: 'anomaly-producer',
      'deployment-group': 'anomaly-producers',
      's3-bucket': 'artifacts',
      ...inputs,
    },
    {
      workspace,
      env: {
        ...emulatorEnvironment(proxy.endpoint),
        AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.endpoint,
      },
    },
  );
}

beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
  scratch = mkdtempSync(join(tmpdir(), 'codedeploy-push-'));
  const config = testClientConfig(motoEndpoint());
  await new S3Client(config).send(new CreateBucketCommand({ Bucket: 'artifacts' }));
  await createStream(new KinesisClient(config), 'm03p02_raw_data_stream');
  imds = await startFakeImds({
    'placement/region': 'us-east-1',
    'tags/instance/AnomalyStreamName': 'm03p02_raw_data_stream',
  });
  codedeploy = await startCodeDeployStandIn({
    s3Endpoint: motoEndpoint(),
    groups: [
      {
        application: 'anomaly-producer',
        deploymentGroup: 'anomaly-producers',
        instanceId: INSTANCE,
      },
      {
        application: 'anomaly-producer',
        deploymentGroup: 'stop-failures',
        instanceId: STOP_INSTANCE,
      },
    ],
    workDir: join(scratch, 'instances'),
    hookEnv: {
      PATH: process.env.PATH ?? '',
      ...emulatorEnvironment(motoEndpoint()),
      AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint,
    },
  });
});

afterAll(async () => {
  await codedeploy.stop();
  for (const instance of [INSTANCE, STOP_INSTANCE])
    stopServices(instancePaths(join(scratch, 'instances', instance)).stateDir);
  await imds.stop();
  await proxy.stop();
  rmSync(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  proxy.clearLog();
});

describe('codedeploy-push, run as the runner runs it, against the emulator and the CodeDeploy stand-in', () => {
  it('uploads the revision under its content hash, deploys it and follows every lifecycle event to success', async () => {
    const result = await push();
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toMatchObject({
      changed: 'true',
      status: 'Succeeded',
      'deployment-id': expect.stringMatching(/^d-/),
    });
    expect(proxy.count('PUT /artifacts/' + String(codedeploy.deployments[0]?.revision.key))).toBe(
      1,
    );
    expect(codedeploy.deployments[0]?.revision.key).toMatch(
      /^codedeploy\/anomaly-producer\/[0-9a-f]{64}\.zip$/,
    );
    expect(codedeploy.deployments[0]?.description).toContain(TEST_SHA.slice(0, 12));
    expect(result.stdout).toContain(`${INSTANCE} ValidateService: Succeeded`);
    expect(result.summary).toContain(`| ${INSTANCE} | ValidateService | Succeeded |`);
  });

  it('deploys nothing and uploads nothing when the group already runs this revision', async () => {
    const before = codedeploy.deployments.length;
    const result = await push();
    expect(result.outputs).toMatchObject({
      changed: 'false',
      status: 'Succeeded',
      'deployment-id': codedeploy.deployments[0]?.id,
    });
    expect(codedeploy.deployments).toHaveLength(before);
    expect(proxy.requests.filter(isMutating)).toEqual([]);
    expect(result.summary).toContain('unchanged');
  });

  it('fails a deployment whose hook fails, naming the hook and its script in an annotation with the log tail', async () => {
    const workspace = join(scratch, 'broken');
    cpSync(join(repoRoot, 'appspec'), join(workspace, 'appspec'), { recursive: true });
    appendFileSync(
      join(workspace, 'appspec', 'scripts', 'after_install.sh'),
      'die "configuration check failed on purpose"\n',
    );
    const result = await push({}, workspace);
    expect(result.exitCode).toBe(1);
    expect(result.failure).toMatch(
      /^Deployment d-\w+ Failed: AfterInstall \(scripts\/after_install\.sh\) failed on i-0123456789abcdef0/,
    );
    const annotation = result.annotations.find((candidate) => candidate.level === 'error');
    expect(annotation?.properties).toMatchObject({
      file: 'appspec/scripts/after_install.sh',
      title: 'CodeDeploy AfterInstall failed: scripts/after_install.sh',
    });
    expect(annotation?.message).toContain('configuration check failed on purpose');
    expect(result.summary).toContain('| AfterInstall | Failed |');
  });

  it('rejects a revision whose appspec installs something not built yet, before any AWS call', async () => {
    const workspace = join(scratch, 'unbuilt');
    cpSync(join(repoRoot, 'appspec'), join(workspace, 'appspec'), { recursive: true });
    rmSync(join(workspace, 'appspec', 'app'), { recursive: true, force: true });
    const before = codedeploy.deployments.length;
    const result = await push({}, workspace);
    expect(result.failure).toBe(
      'Input "revision": appspec.yml installs "app", which is not in appspec/ (run npm run build first?).',
    );
    expect(proxy.requests).toEqual([]);
    expect(codedeploy.deployments).toHaveLength(before);
  });

  it.each([
    ['deployment-config-name', 'All At Once'],
    ['ignore-application-stop-failures', 'maybe'],
    ['file-exists-behavior', 'KEEP'],
  ])('rejects %s "%s" before any AWS call', async (input, value) => {
    const before = codedeploy.deployments.length;
    const result = await push({ [input]: value });
    expect(result.exitCode).toBe(1);
    expect(result.failure).toMatch(new RegExp(`^Input "${input}"`));
    expect(proxy.requests).toEqual([]);
    expect(codedeploy.deployments).toHaveLength(before);
  });

  it("passes the deployment options to CodeDeploy, and CodeDeploy's refusal of an unknown configuration back", async () => {
    const workspace = join(scratch, 'options');
    cpSync(join(repoRoot, 'appspec'), join(workspace, 'appspec'), { recursive: true });
    appendFileSync(join(workspace, 'appspec', 'scripts', 'common.sh'), '# options\n');
    const refused = await push({ 'deployment-config-name': 'Custom.NoSuchConfig' }, workspace);
    const accepted = await push(
      {
        'deployment-config-name': 'CodeDeployDefault.AllAtOnce',
        'file-exists-behavior': 'DISALLOW',
        description: 'options test',
      },
      workspace,
    );
    expect(refused.failure).toMatch(
      /could not create a deployment in anomaly-producer\/anomaly-producers: DeploymentConfigDoesNotExistException/,
    );
    expect(accepted.failure).toBeUndefined();
    expect(codedeploy.deployments.at(-1)).toMatchObject({
      deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
      fileExistsBehavior: 'DISALLOW',
      ignoreApplicationStopFailures: false,
      description: 'options test',
      status: 'Succeeded',
    });
  });

  it("reports a failing ApplicationStop as the previous revision's script, and gets past it when told to", async () => {
    // Prepare: a revision whose stop script fails is installed on the instance
    const group = { 'deployment-group': 'stop-failures' };
    const workspace = (name: string, stopScript: string) => {
      const dir = join(scratch, name);
      cpSync(join(repoRoot, 'appspec'), join(dir, 'appspec'), { recursive: true });
      appendFileSync(join(dir, 'appspec', 'scripts', 'application_stop.sh'), stopScript);
      return dir;
    };
    const installed = await push(group, workspace('broken-stop', 'die "stop script is broken"\n'));
    const fixed = workspace('fixed-stop', '# fixed\n');

    // Act
    const blocked = await push(group, fixed);
    const ignored = await push({ ...group, 'ignore-application-stop-failures': 'true' }, fixed);

    // Assess
    expect(installed.outputs.status).toBe('Succeeded');
    expect(blocked.failure).toMatch(
      /ApplicationStop \(scripts\/application_stop\.sh\) failed on i-0000000000000a5a0/,
    );
    const annotation = blocked.annotations.find((candidate) => candidate.level === 'error');
    expect(annotation?.message).toContain("the previous revision's copy");
    expect(annotation?.message).toContain('stop script is broken');
    expect(ignored.failure).toBeUndefined();
    expect(ignored.outputs).toMatchObject({ status: 'Succeeded', changed: 'true' });
  });
});
