import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { startFaultProxy, type FaultProxy } from '../../local-pipeline/emulator/fault-proxy';
import { testClientConfig } from '../../local-pipeline/emulator/clients';
import { motoEndpoint } from '../support/emulator';
import { runBootstrap } from './bootstrap-command';
import { startFakeGitHub, type FakeGitHub } from './fake-github';

const TOKEN = 'ghp_failureTestToken';
const REPO = 'octo-org/anomaly-pipeline';

let github: FakeGitHub;
let proxy: FaultProxy;

const bootstrap = (environment: string, args: readonly string[], extra?: Record<string, string>) =>
  runBootstrap(['--repo', REPO, '--environment', environment, ...args], {
    endpoint: proxy.endpoint,
    githubUrl: github.url,
    token: TOKEN,
    ...(extra ? { extra } : {}),
  });

async function stackStatus(name: string): Promise<string | undefined> {
  try {
    const cloudformation = new CloudFormationClient(testClientConfig(motoEndpoint()));
    const { Stacks = [] } = await cloudformation.send(
      new DescribeStacksCommand({ StackName: name }),
    );
    return Stacks[0]?.StackStatus;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  github = await startFakeGitHub({ token: TOKEN, repo: REPO, users: {} });
  proxy = await startFaultProxy(motoEndpoint());
});

beforeEach(() => {
  github.allowAll();
  proxy.clearFaults();
  github.requests.splice(0);
});

afterAll(async () => {
  await proxy.stop();
  await github.stop();
});

describe('npm run bootstrap stops with the cause named, and nothing half-done', () => {
  it('refuses another account than --account-id before any change or GitHub call', async () => {
    // Act
    const run = await bootstrap('qa', [
      '--account-id',
      '111111111111',
      '--set-github-variables',
      '--yes',
    ]);

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('belong to account 123456789012, not 111111111111 (--account-id)');
    expect(github.requests).toEqual([]);
    expect(await stackStatus('anomaly-detection-qa-bootstrap')).toBeUndefined();
  });

  it('writes nothing to GitHub when the stack cannot be changed halfway', async () => {
    // Prepare
    proxy.inject({ operation: 'ExecuteChangeSet', fault: 'server-error' });

    // Act
    const run = await bootstrap('uat', ['--set-github-variables', '--yes'], {
      AWS_MAX_ATTEMPTS: '1',
    });

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /could not execute change set .* on stack anomaly-detection-uat-bootstrap/,
    );
    expect(github.writes()).toEqual([]);
    expect(run.summary).toBeUndefined();
  });

  it('names the permission a GitHub token lacks and writes nothing', async () => {
    // Prepare
    github.deny(/^PUT /);

    // Act
    const run = await bootstrap('perf', ['--set-github-variables', '--yes']);

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      'GitHub answered 403 to PUT /repos/octo-org/anomaly-pipeline/environments/perf',
    );
    expect(run.stderr).toContain("'Administration: write'");
    expect(github.writes()).toEqual([]);
  });

  it('says there are no AWS credentials', async () => {
    // Act
    const run = await bootstrap('qa', ['--yes'], {
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      HOME: mkdtempSync(join(tmpdir(), 'bootstrap-home-')),
    });

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('No AWS credentials');
  });

  it('asks for --yes without a terminal, and leaves no stack behind', async () => {
    // Act
    const run = await bootstrap('demo', []);

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('Plan for stack anomaly-detection-demo-bootstrap (create)');
    expect(run.stderr).toContain('run again with --yes');
    expect(await stackStatus('anomaly-detection-demo-bootstrap')).toBeUndefined();
  });

  it('prints the plan and changes nothing with --dry-run', async () => {
    // Act
    const run = await bootstrap('preprod', ['--dry-run', '--set-github-variables']);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/Add +DeployRole +AWS::IAM::Role/);
    expect(run.summary).toMatchObject({ changed: false, dryRun: true, deployRoleArn: null });
    expect(await stackStatus('anomaly-detection-preprod-bootstrap')).toBeUndefined();
    expect(github.writes()).toEqual([]);
  });

  it('prints the gh commands without --set-github-variables', async () => {
    // Act
    const run = await bootstrap('dev', ['--yes']);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      `gh variable set STACK_NAME --env dev --body anomaly-detection-dev --repo ${REPO}`,
    );
    expect(run.stdout).toContain(`gh api --method PUT repos/${REPO}/environments/dev`);
    expect(github.requests).toEqual([]);
  });
});
