import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { IAMClient, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { testClientConfig } from '../../local-pipeline/emulator/clients';
import { motoEndpoint } from '../support/emulator';
import { runBootstrap, type BootstrapRun } from './bootstrap-command';
import { startFakeGitHub, type FakeGitHub } from './fake-github';

const TOKEN = 'ghp_bootstrapTestToken';
const REPO = 'octo-org/anomaly-pipeline';
const ALICE = 5001;

let github: FakeGitHub;
let cloudformation: CloudFormationClient;
let iam: IAMClient;

const bootstrap = (args: readonly string[], extra?: Record<string, string>) =>
  runBootstrap(['--repo', REPO, '--yes', ...args], {
    endpoint: motoEndpoint(),
    githubUrl: github.url,
    token: TOKEN,
    ...(extra ? { extra } : {}),
  });

async function stack(name: string) {
  const { Stacks = [] } = await cloudformation.send(new DescribeStacksCommand({ StackName: name }));
  return Stacks[0];
}

async function eventCount(name: string): Promise<number> {
  const { StackEvents = [] } = await cloudformation.send(
    new DescribeStackEventsCommand({ StackName: name }),
  );
  return StackEvents.length;
}

beforeAll(async () => {
  github = await startFakeGitHub({ token: TOKEN, repo: REPO, users: { alice: ALICE } });
  cloudformation = new CloudFormationClient(testClientConfig(motoEndpoint()));
  iam = new IAMClient(testClientConfig(motoEndpoint()));
});

afterAll(async () => {
  await github.stop();
});

describe('npm run bootstrap: staging, then production', () => {
  let staging: BootstrapRun;
  let production: BootstrapRun;

  beforeAll(async () => {
    staging = await bootstrap([
      '--environment',
      'staging',
      '--set-github-variables',
      '--alert-email',
      'oncall@example.com',
    ]);
    production = await bootstrap([
      '--environment',
      'production',
      '--set-github-variables',
      '--reviewers',
      'alice',
    ]);
  });

  it('deploys both bootstrap stacks side by side, the OIDC provider once', async () => {
    // Assess
    expect([staging.exitCode, production.exitCode]).toEqual([0, 0]);
    expect(staging.summary).toMatchObject({
      environment: 'staging',
      stackName: 'anomaly-detection-staging-bootstrap',
      deployRoleArn: 'arn:aws:iam::123456789012:role/anomaly-detection-staging-github-deploy',
      changed: true,
    });
    expect(production.summary).toMatchObject({
      stackName: 'anomaly-detection-bootstrap',
      executionRoleArn: 'arn:aws:iam::123456789012:role/anomaly-detection-cloudformation-execution',
      changed: true,
    });
    const parameter = async (name: string) =>
      (await stack(name))?.Parameters?.find((p) => p.ParameterKey === 'CreateOidcProvider')
        ?.ParameterValue;
    expect(await parameter('anomaly-detection-staging-bootstrap')).toBe('true');
    expect(await parameter('anomaly-detection-bootstrap')).toBe('false');
    expect(production.stderr).toContain('OIDC provider exists already');
    const { OpenIDConnectProviderList = [] } = await iam.send(
      new ListOpenIDConnectProvidersCommand({}),
    );
    expect(OpenIDConnectProviderList.map((p) => p.Arn)).toEqual([
      'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    ]);
  });

  it('writes the environments and their variables to GitHub with the token', () => {
    // Assess
    expect(github.requests.every((request) => request.authorized)).toBe(true);
    expect(Object.fromEntries(github.environments.get('staging')?.variables ?? [])).toEqual({
      AWS_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/anomaly-detection-staging-github-deploy',
      AWS_CFN_EXECUTION_ROLE_ARN:
        'arn:aws:iam::123456789012:role/anomaly-detection-staging-cloudformation-execution',
      AWS_PREVIEW_ROLE_ARN:
        'arn:aws:iam::123456789012:role/anomaly-detection-staging-github-preview',
      AWS_REGION: 'us-east-1',
      STACK_NAME: 'anomaly-detection-staging',
      ALERT_EMAIL: 'oncall@example.com',
    });
    expect(staging.summary?.variables).toEqual(
      Object.fromEntries(github.environments.get('staging')?.variables ?? []),
    );
    expect(github.environments.get('production')?.reviewers).toEqual([ALICE]);
    expect(github.environments.get('production')?.variables.get('STACK_NAME')).toBe(
      'anomaly-detection',
    );
    expect(Object.fromEntries(github.environments.get('preview')?.variables ?? [])).toEqual({
      AWS_PREVIEW_ROLE_ARN: 'arn:aws:iam::123456789012:role/anomaly-detection-github-preview',
      AWS_REGION: 'us-east-1',
      STACK_NAME: 'anomaly-detection',
    });
  });

  describe('run a second time', () => {
    it('changes no stack and writes nothing to GitHub', async () => {
      // Prepare
      const events = [
        await eventCount('anomaly-detection-staging-bootstrap'),
        await eventCount('anomaly-detection-bootstrap'),
      ];
      const writesBefore = github.writes().length;

      // Act
      const again = [
        await bootstrap([
          '--environment',
          'staging',
          '--set-github-variables',
          '--alert-email',
          'oncall@example.com',
        ]),
        await bootstrap([
          '--environment',
          'production',
          '--set-github-variables',
          '--reviewers',
          'alice',
        ]),
      ];

      // Assess
      expect(again.map((run) => [run.exitCode, run.summary?.changed])).toEqual([
        [0, false],
        [0, false],
      ]);
      expect(again[0]?.stderr).toContain('no changes, nothing executed');
      expect(github.writes().length).toBe(writesBefore);
      expect([
        await eventCount('anomaly-detection-staging-bootstrap'),
        await eventCount('anomaly-detection-bootstrap'),
      ]).toEqual(events);
    });
  });
});
