import { motoEndpoint } from '../support/emulator';
import { startFakeGitHub, type FakeGitHub } from './fake-github';
import {
  bootstrapInProcess,
  stackParameters,
  unexecutedChangeSets,
  type InProcessRun,
} from './in-process';

// `npm run bootstrap` in this process (run(deps) on the emulator and a fake GitHub), where a mutant
// is seen: the plan and progress, the stack's parameters, the GitHub writes in order, the summary.
const TOKEN = 'ghp_inProcessToken';
const REPO = 'octo-org/anomaly-pipeline';
const ALICE = 5001;
const ROLE = 'arn:aws:iam::123456789012:role/anomaly-detection';

let github: FakeGitHub;

const bootstrap = (args: readonly string[]) =>
  bootstrapInProcess(['--repo', REPO, '--yes', ...args], {
    endpoint: motoEndpoint(),
    github: { url: github.url, token: TOKEN },
  });
const staging = (...more: string[]) =>
  bootstrap(['--environment', 'staging', '--set-github-variables', ...more]);
const production = (...more: string[]) =>
  bootstrap(['--environment', 'production', '--set-github-variables', ...more]);

const parameters = (stackName: string) => stackParameters(motoEndpoint(), stackName);

/** The writes GitHub accepted since `from`, as "METHOD path". */
const writesSince = (from: number) =>
  github.requests
    .slice(from)
    .filter((request) => request.method !== 'GET')
    .map((request) => `${request.method} ${request.path}`);

const variables = (environment: string) =>
  Object.fromEntries(github.environments.get(environment)?.variables ?? []);

beforeAll(async () => {
  github = await startFakeGitHub({ token: TOKEN, repo: REPO, users: { alice: ALICE } });
});

afterAll(async () => {
  await github.stop();
});

describe('npm run bootstrap (in process): staging, then production', () => {
  let first: InProcessRun;
  let second: InProcessRun;

  beforeAll(async () => {
    first = await staging('--alert-email', 'oncall@example.com');
    second = await production('--reviewers', 'alice');
  });

  it('deploys the staging stack with its names, creating the OIDC provider', async () => {
    // Assess
    expect(first.error).toBeUndefined();
    expect(await parameters('anomaly-detection-staging-bootstrap')).toMatchObject({
      GitHubOwner: 'octo-org',
      RepositoryName: 'anomaly-pipeline',
      EnvironmentName: 'staging',
      StackName: 'anomaly-detection-staging',
      FunctionName: 'm03p02_anomaly_detector-staging',
      TableName: 'm03p02_anomaly_data-staging',
      StreamName: 'm03p02_raw_data_stream-staging',
      TopicName: 'm03p02_anomaly_alerts-staging',
      CreateOidcProvider: 'true',
    });
    expect(await parameters('anomaly-detection-bootstrap')).toMatchObject({
      EnvironmentName: 'production',
      StackName: 'anomaly-detection',
      TableName: 'm03p02_anomaly_data',
      CreateOidcProvider: 'false',
    });
  });

  it('says who and where, the plan, the execution and each GitHub write, in order', () => {
    // Assess
    const [account, provider, plan, ...rest] = first.log;
    expect([account, provider]).toEqual([
      'AWS account 123456789012 (arn:aws:sts::123456789012:user/moto), region us-east-1.',
      'The GitHub OIDC provider is created (or kept) by this bootstrap stack.',
    ]);
    expect(plan).toMatch(
      /^Plan for stack anomaly-detection-staging-bootstrap \(create\): 9 resource change\(s\):\n {2}Add {6}GitHubOidcProvider {9}AWS::IAM::OIDCProvider\n/,
    );
    expect(rest).toEqual([
      expect.stringMatching(
        /^Executing change set bootstrap-\w+ on stack anomaly-detection-staging-bootstrap…$/,
      ),
      'Stack anomaly-detection-staging-bootstrap: CREATE_COMPLETE.',
      'GitHub: create environment staging',
      'GitHub: set staging variable AWS_DEPLOY_ROLE_ARN',
      'GitHub: set staging variable AWS_CFN_EXECUTION_ROLE_ARN',
      'GitHub: set staging variable AWS_PREVIEW_ROLE_ARN',
      'GitHub: set staging variable AWS_REGION',
      'GitHub: set staging variable STACK_NAME',
      'GitHub: set staging variable ALERT_EMAIL',
      'GitHub: create environment staging-drift',
      'GitHub: set staging-drift variable AWS_DRIFT_ROLE_ARN',
      'GitHub: set staging-drift variable AWS_REGION',
      'GitHub: set staging-drift variable STACK_NAME',
    ]);
    expect(second.log[1]).toBe(
      "The account's GitHub OIDC provider exists already: this stack trusts it and does not create one.",
    );
  });

  it('writes the environments, their reviewers and variables to GitHub', () => {
    // Assess
    expect(writesSince(0).slice(0, 3)).toEqual([
      `PUT /repos/${REPO}/environments/staging`,
      `POST /repos/${REPO}/environments/staging/variables`,
      `POST /repos/${REPO}/environments/staging/variables`,
    ]);
    expect(variables('staging')).toEqual({
      AWS_DEPLOY_ROLE_ARN: `${ROLE}-staging-github-deploy`,
      AWS_CFN_EXECUTION_ROLE_ARN: `${ROLE}-staging-cloudformation-execution`,
      AWS_PREVIEW_ROLE_ARN: `${ROLE}-staging-github-preview`,
      AWS_REGION: 'us-east-1',
      STACK_NAME: 'anomaly-detection-staging',
      ALERT_EMAIL: 'oncall@example.com',
    });
    expect(variables('staging-drift')).toEqual({
      AWS_DRIFT_ROLE_ARN: `${ROLE}-staging-github-drift`,
      AWS_REGION: 'us-east-1',
      STACK_NAME: 'anomaly-detection-staging',
    });
    expect(github.environments.get('production')?.reviewers).toEqual([ALICE]);
    expect(second.log).toContain(
      'GitHub: create environment production (required reviewers: alice)',
    );
    expect(variables('preview')).toEqual({
      AWS_PREVIEW_ROLE_ARN: `${ROLE}-github-preview`,
      AWS_REGION: 'us-east-1',
      STACK_NAME: 'anomaly-detection',
    });
  });

  it('prints the summary, and only it, as the last stdout line', () => {
    // Assess
    expect(first.printed).toEqual([JSON.stringify(first.summary)]);
    expect(first.summary).toEqual({
      environment: 'staging',
      stackName: 'anomaly-detection-staging-bootstrap',
      applicationStackName: 'anomaly-detection-staging',
      region: 'us-east-1',
      accountId: '123456789012',
      dryRun: false,
      deployRoleArn: `${ROLE}-staging-github-deploy`,
      executionRoleArn: `${ROLE}-staging-cloudformation-execution`,
      previewRoleArn: `${ROLE}-staging-github-preview`,
      variables: variables('staging'),
      githubEnvironments: {
        staging: variables('staging'),
        'staging-drift': variables('staging-drift'),
      },
      changed: true,
    });
    expect(Object.keys(second.summary?.githubEnvironments ?? {})).toEqual([
      'production',
      'production-drift',
      'preview',
    ]);
  });

  it('changes nothing on a second run', async () => {
    // Prepare
    const from = github.requests.length;

    // Act
    const again = await staging('--alert-email', 'oncall@example.com');

    // Assess
    expect(again.summary?.changed).toBe(false);
    expect(again.log.slice(1)).toEqual([
      'The GitHub OIDC provider is created (or kept) by this bootstrap stack.',
      'Stack anomaly-detection-staging-bootstrap is up to date: no changes, nothing executed.',
      'GitHub: environment(s) staging, staging-drift already hold these settings; nothing written.',
    ]);
    expect(writesSince(from)).toEqual([]);
    expect(
      github.requests
        .slice(from)
        .filter((r) => /environments\/[^/]+$/.test(r.path))
        .map((r) => r.path.split('/').pop()),
    ).toEqual(['staging', 'staging-drift']);
    // The empty change set was deleted: only the executed ones of the first runs are left.
    expect(
      await unexecutedChangeSets(motoEndpoint(), 'anomaly-detection-staging-bootstrap'),
    ).toEqual([]);
  });

  it('prints the gh commands instead without --set-github-variables, reviewers wanted for production', async () => {
    // Prepare
    const from = github.requests.length;
    const plain = (...args: string[]) =>
      bootstrap(['--alert-email', 'oncall@example.com', ...args]);

    // Act
    const runs = [
      await plain('--environment', 'production'),
      await plain('--environment', 'production', '--reviewers', 'alice'),
      await plain('--environment', 'staging'),
    ];

    // Assess
    const note =
      'The production environment needs required reviewers: pass --reviewers to have them in the commands, or add them in Settings → Environments → production.';
    expect(runs.map((run) => run.log.includes(note))).toEqual([true, false, false]);
    expect(runs.map((run) => run.summary?.changed)).toEqual([false, false, false]);
    expect(runs[0]?.printed[0]).toBe(
      `gh api --method PUT repos/${REPO}/environments/production --silent`,
    );
    expect(github.requests.length).toBe(from);
  });

  it('writes only what differs on GitHub, and says the run changed something', async () => {
    // Prepare
    github.environments.get('staging')?.variables.set('AWS_REGION', 'eu-west-1');
    github.environments.get('staging')?.variables.delete('ALERT_EMAIL');
    const from = github.requests.length;

    // Act
    const again = await staging('--alert-email', 'oncall@example.com');

    // Assess
    expect(again.summary?.changed).toBe(true);
    expect(again.log.slice(-2)).toEqual([
      'GitHub: update staging variable AWS_REGION',
      'GitHub: set staging variable ALERT_EMAIL',
    ]);
    expect(writesSince(from)).toEqual([
      `PATCH /repos/${REPO}/environments/staging/variables/AWS_REGION`,
      `POST /repos/${REPO}/environments/staging/variables`,
    ]);
    expect(variables('staging').AWS_REGION).toBe('us-east-1');
  });

  it('reads every page of an environment variables before deciding what to write', async () => {
    // Prepare: 35 variables of others before ours, so ours are on the second page of 30.
    const environment = github.environments.get('staging');
    const ours = [...(environment?.variables ?? [])];
    environment?.variables.clear();
    for (let i = 0; i < 35; i++) environment?.variables.set(`OTHER_${i}`, String(i));
    for (const [name, value] of ours) environment?.variables.set(name, value);
    const from = github.requests.length;

    // Act
    const again = await staging('--alert-email', 'oncall@example.com');

    // Assess
    expect(again.error).toBeUndefined();
    expect(writesSince(from)).toEqual([]);
    expect(
      github.requests.slice(from).filter((r) => r.path.endsWith('/staging/variables')),
    ).toHaveLength(2);
  });

  it('lists in a dry run what it would write, and writes nothing', async () => {
    // Prepare
    const from = github.requests.length;

    // Act
    const dry = await staging('--alert-email', 'pager@example.com', '--dry-run');

    // Assess
    expect(dry.summary).toMatchObject({
      changed: false,
      dryRun: true,
      variables: { ALERT_EMAIL: 'pager@example.com' },
    });
    expect(dry.log.slice(-1)).toEqual([
      'GitHub (dry run, not written): update staging variable ALERT_EMAIL',
    ]);
    expect(writesSince(from)).toEqual([]);
  });

  it('sets the reviewers production asks for again, and keeps them when not given', async () => {
    // Prepare
    const environment = github.environments.get('production');
    if (environment) environment.reviewers = [9];

    // Act
    const given = await production('--reviewers', 'alice');
    const kept = await production();

    // Assess
    expect(given.log.slice(-1)).toEqual([
      'GitHub: update environment production (required reviewers: alice)',
    ]);
    expect(kept.error).toBeUndefined();
    expect(kept.summary?.changed).toBe(false);
    expect(github.environments.get('production')?.reviewers).toEqual([ALICE]);
  });
});
