import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { ConfigurationError } from '../../actions/shared/errors';
import { HELP } from '../../bootstrap/src/help';
import { testClientConfig } from '../../local-pipeline/emulator/clients';
import { motoEndpoint } from '../support/emulator';
import { startFakeGitHub, type FakeGitHub } from './fake-github';
import { bootstrapInProcess, TEMPLATE, type Setting } from './in-process';

// `npm run bootstrap` in this process: the runs that stop, the dry runs, the other regions, and
// the gh commands printed instead of writing. Each environment here is used by one test only.
const TOKEN = 'ghp_inProcessFailures';
const REPO = 'octo-org/anomaly-pipeline';

let github: FakeGitHub;
let cloudformation: CloudFormationClient;

const bootstrap = (environment: string, args: readonly string[], setting: Partial<Setting> = {}) =>
  bootstrapInProcess(['--repo', REPO, '--environment', environment, ...args], {
    endpoint: motoEndpoint(),
    github: { url: github.url, token: TOKEN },
    ...setting,
  });

async function stackStatus(name: string, region = 'us-east-1'): Promise<string | undefined> {
  const client = new CloudFormationClient({ ...testClientConfig(motoEndpoint()), region });
  try {
    const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: name }));
    return Stacks[0]?.StackStatus;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  github = await startFakeGitHub({ token: TOKEN, repo: REPO, users: { alice: 5001 } });
  cloudformation = new CloudFormationClient(testClientConfig(motoEndpoint()));
});

beforeEach(() => {
  github.allowAll();
  github.requests.splice(0);
});

afterAll(async () => {
  await github.stop();
});

describe('npm run bootstrap (in process) stops with the cause named', () => {
  it('refuses another account than --account-id before any change or GitHub write', async () => {
    // Act
    const run = await bootstrap('qa', ['--account-id', '111111111111', '--yes']);

    // Assess
    expect(run.error).toEqual(
      new ConfigurationError(
        'Wrong account: the credentials (arn:aws:sts::123456789012:user/moto) belong to account 123456789012, not 111111111111 (--account-id). Nothing was done; switch credentials or fix --account-id.',
      ),
    );
    expect(await stackStatus('anomaly-detection-qa-bootstrap')).toBeUndefined();
  });

  it('goes on when --account-id names the credentials account', async () => {
    // Act
    const run = await bootstrap('acct', ['--account-id', '123456789012', '--dry-run']);

    // Assess
    expect(run.error).toBeUndefined();
    expect(run.summary?.accountId).toBe('123456789012');
  });

  it('asks for --yes without a terminal, and leaves no stack behind', async () => {
    // Act
    const run = await bootstrap('demo', []);

    // Assess
    expect(run.error?.message).toContain('there is no terminal to ask on');
    expect(run.log.join('\n')).toContain(
      'Plan for stack anomaly-detection-demo-bootstrap (create)',
    );
    expect(await stackStatus('anomaly-detection-demo-bootstrap')).toBeUndefined();
  });

  it('asks at the terminal, and executes what the person approves', async () => {
    // Act
    const run = await bootstrap('asked', [], { answer: true });

    // Assess
    expect(run.questions).toEqual([
      'Execute this change set on stack anomaly-detection-asked-bootstrap? [y/N] ',
    ]);
    expect(run.summary?.changed).toBe(true);
    expect(await stackStatus('anomaly-detection-asked-bootstrap')).toBe('CREATE_COMPLETE');
  });

  it('says when the token user may not create environments, before the stack changes', async () => {
    // Prepare
    const reader = await startFakeGitHub({ token: TOKEN, repo: REPO, users: {}, admin: false });

    // Act
    const run = await bootstrap('nonadmin', ['--set-github-variables', '--yes'], {
      github: { url: reader.url, token: TOKEN },
    });
    await reader.stop();

    // Assess
    expect(run.error).toEqual(
      new ConfigurationError(
        `The GitHub token's user is not an admin of ${REPO}: creating environments and setting their reviewers needs the repository's 'Administration: write' permission (fine-grained token; classic token: the 'repo' scope), held by a repository admin.`,
      ),
    );
    expect(await stackStatus('anomaly-detection-nonadmin-bootstrap')).toBeUndefined();
  });

  it('names a reviewer GitHub does not know', async () => {
    // Act
    const run = await bootstrap('prodlike', ['--set-github-variables', '--reviewers', 'alice,bob']);

    // Assess
    expect(run.error).toEqual(new ConfigurationError("--reviewers: there is no GitHub user 'bob'"));
  });

  it('says the token was refused, before the stack changes', async () => {
    // Act
    const run = await bootstrap('badtoken', ['--set-github-variables', '--yes'], {
      github: { url: github.url, token: 'ghp_expired' },
    });

    // Assess
    expect(run.error).toEqual(
      new ConfigurationError(
        `GitHub refused the token (401 on GET /repos/${REPO}): it is invalid or expired.`,
      ),
    );
    expect(await stackStatus('anomaly-detection-badtoken-bootstrap')).toBeUndefined();
  });

  it('names the permission a write lacks, and writes nothing after it', async () => {
    // Prepare
    github.deny(/^POST /);

    // Act
    const run = await bootstrap('perf', ['--set-github-variables', '--yes']);

    // Assess
    expect(run.error?.message).toBe(
      `GitHub answered 403 to POST /repos/${REPO}/environments/perf/variables: the repository does not exist, or the token lacks the 'Environments: write' permission (fine-grained token; classic token: the 'repo' scope).`,
    );
    expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      `PUT /repos/${REPO}/environments/perf`,
    ]);
    expect(run.log.slice(-1)).toEqual(['GitHub: create environment perf']);
    expect(run.printed).toEqual([]);
  });

  it('needs a region when the SDK chain names none', async () => {
    // Act
    const run = await bootstrap('noregion', [], { defaultRegion: '' });

    // Assess
    expect(run.error).toEqual(
      new ConfigurationError(
        'No region: pass --region R, or set AWS_REGION (or a region in your AWS profile).',
      ),
    );
    expect(run.regions).toEqual([]);
  });
});

describe('npm run bootstrap (in process): regions, dry runs, the gh commands', () => {
  it('prints the help and touches nothing', async () => {
    // Act
    const run = await bootstrap('x', ['--help']);

    // Assess
    expect(run.printed).toEqual([HELP]);
    expect(run.summary).toBeUndefined();
    expect(run.regions).toEqual([]);
  });

  it('deploys in the region --region names, else in the SDK chain one', async () => {
    // Act
    const named = await bootstrap('west', ['--region', 'eu-west-1', '--yes']);
    const chained = await bootstrap('chain', ['--yes'], { defaultRegion: 'us-west-2' });
    const unsupported = await bootstrap('south', ['--yes'], { defaultRegion: 'eu-south-2' });

    // Assess
    expect([named.regions, named.summary?.region]).toEqual([['eu-west-1'], 'eu-west-1']);
    expect(await stackStatus('anomaly-detection-west-bootstrap', 'eu-west-1')).toBe(
      'CREATE_COMPLETE',
    );
    expect(chained.regions).toEqual(['us-west-2']);
    expect(unsupported.error?.message).toMatch(/^--region eu-south-2 does not offer every service/);
  });

  it('plans a new stack in a dry run, and leaves the GitHub side for later', async () => {
    // Act
    const run = await bootstrap('preprod', ['--dry-run', '--set-github-variables']);

    // Assess
    expect(run.log.slice(-2)).toEqual([
      'Dry run: the change set was deleted; nothing changed.',
      'Dry run: the GitHub side is planned once the stack exists.',
    ]);
    expect(run.summary).toMatchObject({
      deployRoleArn: null,
      executionRoleArn: null,
      previewRoleArn: null,
      variables: {},
      githubEnvironments: {},
      changed: false,
      dryRun: true,
    });
    expect(await stackStatus('anomaly-detection-preprod-bootstrap')).toBeUndefined();
    expect(github.writes()).toEqual([]);
  });

  it('replaces a stack a change set created and nobody executed (a dry run only says so)', async () => {
    // Prepare
    const stackName = 'anomaly-detection-stale-bootstrap';
    await cloudformation.send(
      new CreateChangeSetCommand({
        StackName: stackName,
        ChangeSetName: 'abandoned',
        ChangeSetType: 'CREATE',
        TemplateBody: TEMPLATE,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [
          { ParameterKey: 'GitHubOwner', ParameterValue: 'octo-org' },
          { ParameterKey: 'RepositoryName', ParameterValue: 'anomaly-pipeline' },
        ],
      }),
    );
    const why = 'a change set created it and never ran; it holds no resources';

    // Act
    const dry = await bootstrap('stale', ['--dry-run']);
    const real = await bootstrap('stale', ['--yes']);

    // Assess
    expect(dry.log.slice(1)).toEqual([
      `Stack ${stackName} is REVIEW_IN_PROGRESS (${why}): a run without --dry-run deletes it and creates it again.`,
      'Dry run: the GitHub side is planned once the stack exists.',
    ]);
    expect(dry.summary).toMatchObject({ changed: false, deployRoleArn: null });
    expect(real.log[1]).toBe(
      `Stack ${stackName} is REVIEW_IN_PROGRESS (${why}): deleting it first.`,
    );
    expect(await stackStatus(stackName)).toBe('CREATE_COMPLETE');
  });

  it('prints the gh commands, reviewers included, without --set-github-variables', async () => {
    // Act
    const run = await bootstrap('dev', ['--yes', '--reviewers', 'alice,bob']);

    // Assess
    expect(run.log).toContain(
      'GitHub: nothing written (no --set-github-variables). To create the environment(s) dev, dev-drift and set their variables yourself, run the gh commands printed on stdout.',
    );
    expect(run.printed.slice(0, 2)).toEqual([
      `echo '{"reviewers":[{"type":"User","id":'"$(gh api users/alice --jq .id)"'},{"type":"User","id":'"$(gh api users/bob --jq .id)"'}]}' | gh api --method PUT repos/${REPO}/environments/dev --input -`,
      `gh variable set AWS_DEPLOY_ROLE_ARN --env dev --body arn:aws:iam::123456789012:role/anomaly-detection-dev-github-deploy --repo ${REPO}`,
    ]);
    expect(run.printed).toContain(
      `gh api --method PUT repos/${REPO}/environments/dev-drift --silent`,
    );
    expect(run.printed).toHaveLength(11);
    expect(run.printed[10]).toBe(JSON.stringify(run.summary));
    expect(run.log.join('\n')).not.toContain('needs required reviewers');
    expect(github.requests).toEqual([]);
  });
});
