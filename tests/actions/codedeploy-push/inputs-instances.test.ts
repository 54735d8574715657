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
  type DeploymentGroupInfo,
} from '@aws-sdk/client-codedeploy';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { run, type CodeDeployPushDeps } from '../../../actions/codedeploy-push/src/main';
import { deterministicZip, directoryEntries, sha256Hex } from '../../../actions/shared/zip';
import { fakeIO } from '../../support/fake-io';

const codedeploy = mockClient(CodeDeployClient);
const s3 = mockClient(S3Client);
const ec2 = mockClient(EC2Client);

function workspaceWith(files: Record<string, string>): string {
  const workspace = mkdtempSync(join(tmpdir(), 'codedeploy-push-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(workspace, path, '..'), { recursive: true });
    writeFileSync(join(workspace, path), content);
  }
  return workspace;
}

function deps(inputs: Record<string, string>, workspace: string) {
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
    clock: { now: () => 0, sleep: () => Promise.resolve() },
    run: {
      sha: 'abc',
      runUrl: 'u',
      repository: 'o/r',
      eventName: 'push',
      pullRequestNumber: undefined,
    },
    workspace,
  };
  return { io, value };
}

const APPSPEC = [
  'version: 0.0',
  'os: linux',
  'files:',
  '  - source: app',
  '    destination: /opt/app',
  '  - destination: /opt/none',
  'hooks:',
  '  ApplicationStart:',
  '    - location: scripts/start.sh',
  '    - timeout: 5',
  '  ValidateService:',
  '',
].join('\n');

beforeEach(() => {
  codedeploy.reset();
  s3.reset();
  ec2.reset();
  s3.on(HeadObjectCommand).rejects(Object.assign(new Error('x'), { name: 'NotFound' }));
  s3.on(PutObjectCommand).resolves({});
  codedeploy.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: {} });
  codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEW' });
  codedeploy.on(ListDeploymentTargetsCommand).resolves({});
  codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Succeeded' } });
});

describe('codedeploy-push inputs', () => {
  const complete = {
    'rev/appspec.yml': APPSPEC,
    'rev/app/index.js': '',
    'rev/scripts/start.sh': '',
  };

  it('accepts a revision whose appspec names only files it holds', async () => {
    const { io, value } = deps({}, workspaceWith(complete));
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs.status).toBe('Succeeded');
  });

  it.each([
    [{}, { 'rev/appspec.yml': undefined }, 'Input "revision": rev/appspec.yml does not exist.'],
    [
      {},
      { 'rev/appspec.yml': 'files: [' },
      'Input "revision": rev/appspec.yml is not valid YAML: ',
    ],
    [
      {},
      { 'rev/appspec.yml': '# nothing yet\n' },
      'Input "revision": rev/appspec.yml is not an AppSpec mapping (version, os, files, hooks).',
    ],
    [
      {},
      { 'rev/appspec.yml': '- files\n' },
      'Input "revision": rev/appspec.yml is not an AppSpec mapping (version, os, files, hooks).',
    ],
    [
      {},
      { 'rev/app/index.js': undefined },
      'Input "revision": appspec.yml installs "app", which is not in rev/ (run npm run build first?).',
    ],
    [
      {},
      { 'rev/scripts/start.sh': undefined },
      'Input "revision": the ApplicationStart hook scripts/start.sh is not in rev/.',
    ],
    [
      { application: 'my app' },
      {},
      'Input "application": "my app" is not a CodeDeploy name (1-100 of A-Z a-z 0-9 _ . + @ -).',
    ],
    [{ 'deployment-group': '' }, {}, 'Input "deployment-group" is required.'],
    [{ 's3-bucket': '' }, {}, 'Input "s3-bucket" is required.'],
    [
      { 'timeout-minutes': '361' },
      {},
      'Input "timeout-minutes" must be a whole number from 1 to 360',
    ],
    [{ wait: 'maybe' }, {}, 'Input "wait" must be true or false, not "maybe".'],
  ])('refuses %j (files %j) before any AWS call', async (inputs, change, message) => {
    const files = Object.fromEntries(
      Object.entries({ ...complete, ...change }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    const { io, value } = deps(inputs, workspaceWith(files));
    await run(value);
    expect(io.failures).toEqual([expect.stringContaining(message)]);
    expect(codedeploy.calls()).toHaveLength(0);
  });

  it('uses revision "appspec" by default', async () => {
    const workspace = workspaceWith({ 'appspec/appspec.yml': 'version: 0.0\n' });
    const { io, value } = deps({ revision: '' }, workspace);
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.logs[0]).toMatch(/^Revision appspec\/: /);
  });
});

describe("codedeploy-push finding the group's instances", () => {
  const workspace = workspaceWith({ 'rev/appspec.yml': 'version: 0.0\n' });
  const key = `codedeploy/app/${sha256Hex(deterministicZip(directoryEntries(join(workspace, 'rev'))))}.zip`;

  /** The group last deployed this revision in d-LAST, which reached `reached`. */
  function groupThatRan(group: DeploymentGroupInfo, reached: Record<string, string>) {
    codedeploy.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: {
        lastSuccessfulDeployment: { deploymentId: 'd-LAST' },
        targetRevision: { s3Location: { key } },
        ...group,
      },
    });
    codedeploy
      .on(ListDeploymentTargetsCommand, { deploymentId: 'd-LAST' })
      .resolves({ targetIds: Object.keys(reached) });
    codedeploy.on(BatchGetDeploymentTargetsCommand, { deploymentId: 'd-LAST' }).resolves({
      deploymentTargets: Object.entries(reached).map(([targetId, status]) =>
        targetId.startsWith('ecs')
          ? { ecsTarget: { targetId, status: status as 'Succeeded' } }
          : { instanceTarget: { targetId, status: status as 'Succeeded' } },
      ),
    });
  }

  /** EC2 answers each tag filter with these instances. */
  function instancesByFilter(byFilter: Record<string, string[]>) {
    ec2
      .on(DescribeInstancesCommand)
      .callsFake((input: { Filters: { Name: string; Values: string[] }[] }) => {
        const filter = input.Filters[0]!;
        const ids = byFilter[`${filter.Name}=${filter.Values.join(',')}`] ?? [];
        return {
          Reservations: [
            { Instances: ids.slice(0, 1).map((InstanceId) => ({ InstanceId })) },
            { Instances: [...ids.slice(1).map((InstanceId) => ({ InstanceId })), {}] },
          ],
        };
      });
  }

  it('finds instances by tag key, tag value and key and value, and skips when all got the revision', async () => {
    groupThatRan(
      {
        ec2TagFilters: [
          { Key: 'Role', Type: 'KEY_ONLY' },
          { Value: 'producer', Type: 'VALUE_ONLY' },
          { Key: 'Env', Value: 'prod', Type: 'KEY_AND_VALUE' },
        ],
      },
      { 'i-1': 'Succeeded', 'i-2': 'Succeeded', 'i-3': 'Succeeded' },
    );
    instancesByFilter({
      'tag-key=Role': ['i-1'],
      'tag-value=producer': ['i-2', 'i-1'],
      'tag:Env=prod': ['i-3'],
    });
    const { io, value } = deps({}, workspace);
    await run(value);
    expect(io.outputs.changed).toBe('false');
    expect(ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input.Filters)).toEqual([
      [
        { Name: 'tag-key', Values: ['Role'] },
        { Name: 'instance-state-name', Values: ['pending', 'running'] },
      ],
      [
        { Name: 'tag-value', Values: ['producer'] },
        { Name: 'instance-state-name', Values: ['pending', 'running'] },
      ],
      [
        { Name: 'tag:Env', Values: ['prod'] },
        { Name: 'instance-state-name', Values: ['pending', 'running'] },
      ],
    ]);
  });

  it('deploys again to instances the last deployment failed on, or that are in every list of a tag set, sorted', async () => {
    groupThatRan(
      {
        ec2TagSet: {
          ec2TagSetList: [
            [{ Key: 'Role', Type: 'KEY_ONLY' }],
            [{ Value: 'prod', Type: 'VALUE_ONLY' }],
            [{ Key: 'Team', Value: 'a', Type: 'KEY_AND_VALUE' }],
          ],
        },
      },
      { 'i-1': 'Failed', 'i-2': 'Succeeded', 'ecs-1': 'Succeeded' },
    );
    instancesByFilter({
      'tag-key=Role': ['i-9', 'i-1', 'i-2', 'i-5'],
      'tag-value=prod': ['i-1', 'i-2', 'i-9', 'i-7'],
      'tag:Team=a': ['i-9', 'i-2', 'i-1'],
    });
    const { io, value } = deps({}, workspace);
    await run(value);
    expect(io.outputs.changed).toBe('true');
    expect(io.logs).toContain(
      'Deployment group group last deployed this revision in d-LAST, but i-1, i-9 did not get it (a new or replaced instance): deploying it again.',
    );
  });

  it('skips without asking for the targets when the group has no running instance', async () => {
    groupThatRan({}, {});
    const { io, value } = deps({}, workspace);
    await run(value);
    expect(io.outputs.changed).toBe('false');
    expect(codedeploy.commandCalls(ListDeploymentTargetsCommand)).toHaveLength(0);
  });

  it("fails with context when the group's instances cannot be listed", async () => {
    groupThatRan({ ec2TagFilters: [{ Key: 'Role', Type: 'KEY_ONLY' }] }, {});
    ec2
      .on(DescribeInstancesCommand)
      .rejects(Object.assign(new Error('no'), { name: 'UnauthorizedOperation' }));
    const { io, value } = deps({}, workspace);
    await run(value);
    expect(io.failures).toEqual([
      "could not list the deployment group's instances (ec2:DescribeInstances): UnauthorizedOperation: no",
    ]);
  });
});
