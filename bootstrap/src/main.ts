import type { Parameter, Stack } from '@aws-sdk/client-cloudformation';
import { ConfigurationError } from '../../actions/shared/errors';
import { timeWindow } from '../../actions/shared/wait';
import { callerAccount, needsOidcProvider, type CallerAccount } from './account';
import type { AwsClients, Deps, GitHubRequest } from './deps';
import { PRODUCTION, physicalNames } from './environments';
import { applyWrites, githubWrites, readGitHub, type GitHubState } from './github';
import { HELP } from './help';
import { parseCommand, type BootstrapOptions } from './options';
import { checkRegion } from './regions';
import { deployStack, type StackResult } from './stack';
import { driftEnvironment, ghCommands, githubTargets, PREVIEW_ENVIRONMENT } from './variables';

const TIMEOUT_MINUTES = 30;

export interface BootstrapSummary {
  readonly environment: string;
  /** The bootstrap stack. */
  readonly stackName: string;
  readonly applicationStackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly deployRoleArn: string | null;
  readonly executionRoleArn: string | null;
  readonly previewRoleArn: string | null;
  /** Environment E's variables. */
  readonly variables: Readonly<Record<string, string>>;
  readonly githubEnvironments: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly changed: boolean;
  readonly dryRun: boolean;
}

/** What is known before anything changes: where, who, and what GitHub holds. */
interface Setup {
  readonly deps: Deps;
  readonly options: BootstrapOptions;
  readonly region: string;
  readonly clients: AwsClients;
  readonly account: CallerAccount;
  readonly stackName: string;
  readonly github: { readonly request: GitHubRequest; readonly state: GitHubState } | undefined;
}

/** `npm run bootstrap`: the stack, then GitHub; the summary is the last stdout line. */
export async function run(deps: Deps): Promise<BootstrapSummary | undefined> {
  const command = parseCommand(deps.argv);
  if (command.kind === 'help') {
    deps.print(HELP);
    return undefined;
  }
  const setup = await prepare(deps, command.options);
  const stack = await deployStack({
    clients: setup.clients,
    log: deps.log,
    clock: deps.clock,
    deadline: timeWindow(deps.clock, TIMEOUT_MINUTES).deadline,
    stackName: setup.stackName,
    template: deps.template,
    parameters: (current) => parametersFor(setup, current),
    dryRun: setup.options.dryRun,
    approve: async (question) =>
      setup.options.yes ? true : deps.interactive ? deps.confirm(question) : undefined,
  });
  const summary = await githubSide(deps, setup, stack);
  deps.print(JSON.stringify(summary));
  return summary;
}

async function prepare(deps: Deps, options: BootstrapOptions): Promise<Setup> {
  const region = options.region ?? (await defaultRegion(deps));
  const token = options.setGithubVariables ? await requireToken(deps) : undefined;
  const clients = deps.aws(region);
  const account = await callerAccount(clients, options.accountId);
  deps.log(`AWS account ${account.accountId} (${account.arn}), region ${region}.`);
  const stackName = `${physicalNames(options.environment).stackName}-bootstrap`;
  if (token === undefined)
    return { deps, options, region, clients, account, stackName, github: undefined };
  const request = deps.github(token);
  const state = await readGitHub(
    request,
    repositoryOf(options),
    githubEnvironmentNames(options),
    options.reviewers,
  );
  checkReviewers(options, state);
  return { deps, options, region, clients, account, stackName, github: { request, state } };
}

async function defaultRegion(deps: Deps): Promise<string> {
  const region = await deps.defaultRegion();
  if (!region) {
    throw new ConfigurationError(
      'No region: pass --region R, or set AWS_REGION (or a region in your AWS profile).',
    );
  }
  return checkRegion(region);
}

async function requireToken(deps: Deps): Promise<string> {
  const token = await deps.githubToken();
  if (!token) {
    throw new ConfigurationError(
      '--set-github-variables needs a GitHub token: set GITHUB_TOKEN, or sign in with the GitHub CLI (gh auth login). Nothing was done.',
    );
  }
  return token;
}

const repositoryOf = (options: BootstrapOptions) => ({
  owner: options.owner,
  repo: options.repository,
});

/** Every GitHub environment the bootstrap of this environment may write. */
function githubEnvironmentNames(options: BootstrapOptions): string[] {
  const names = [options.environment, driftEnvironment(options.environment)];
  return options.environment === PRODUCTION ? [...names, PREVIEW_ENVIRONMENT] : names;
}

/** Production is gated by required reviewers: given now, or already on the environment. */
function checkReviewers(options: BootstrapOptions, state: GitHubState): void {
  if (options.environment !== PRODUCTION || options.reviewers.length > 0) return;
  if ((state.environments.get(PRODUCTION)?.reviewerIds.length ?? 0) > 0) return;
  throw new ConfigurationError(
    'The production environment has no required reviewers: pass --reviewers with the GitHub logins who approve deployments to production. Nothing was done.',
  );
}

async function parametersFor(setup: Setup, current: Stack | undefined): Promise<Parameter[]> {
  const names = physicalNames(setup.options.environment);
  const createProvider = await needsOidcProvider(setup.clients, current);
  setup.deps.log(
    createProvider
      ? 'The GitHub OIDC provider is created (or kept) by this bootstrap stack.'
      : "The account's GitHub OIDC provider exists already: this stack trusts it and does not create one.",
  );
  const values: Record<string, string> = {
    GitHubOwner: setup.options.owner,
    RepositoryName: setup.options.repository,
    EnvironmentName: setup.options.environment,
    StackName: names.stackName,
    FunctionName: names.functionName,
    TableName: names.tableName,
    StreamName: names.streamName,
    TopicName: names.topicName,
    CreateOidcProvider: String(createProvider),
  };
  return Object.entries(values).map(([ParameterKey, ParameterValue]) => ({
    ParameterKey,
    ParameterValue,
  }));
}

async function githubSide(deps: Deps, setup: Setup, stack: StackResult): Promise<BootstrapSummary> {
  const { options } = setup;
  const roles = {
    deployRoleArn: stack.outputs.DeployRoleArn ?? null,
    executionRoleArn: stack.outputs.ExecutionRoleArn ?? null,
    previewRoleArn: stack.outputs.PreviewRoleArn ?? null,
  };
  const base = {
    environment: options.environment,
    stackName: setup.stackName,
    applicationStackName: physicalNames(options.environment).stackName,
    region: setup.region,
    accountId: setup.account.accountId,
    dryRun: options.dryRun,
    ...roles,
  };
  if (options.dryRun && !roles.previewRoleArn) {
    deps.log('Dry run: the GitHub side is planned once the stack exists.');
    return { ...base, variables: {}, githubEnvironments: {}, changed: false };
  }
  const targets = githubTargets(options, setup.region, setup.stackName, stack.outputs);
  const written = await writeGitHub(deps, setup, targets);
  return {
    ...base,
    variables: targets[0]?.variables ?? {},
    githubEnvironments: Object.fromEntries(
      targets.map((target) => [target.name, target.variables]),
    ),
    changed: stack.changed || written,
  };
}

/** Writes what differs (true if anything was); without a token, prints the gh commands instead. */
async function writeGitHub(
  deps: Deps,
  setup: Setup,
  targets: ReturnType<typeof githubTargets>,
): Promise<boolean> {
  const { options } = setup;
  const names = targets.map((target) => target.name).join(', ');
  if (!setup.github) {
    deps.log(
      `GitHub: nothing written (no --set-github-variables). To create the environment(s) ${names} and set their variables yourself, run the gh commands printed on stdout.`,
    );
    for (const line of ghCommands(`${options.owner}/${options.repository}`, targets))
      deps.print(line);
    if (options.environment === PRODUCTION && options.reviewers.length === 0) {
      deps.log(
        'The production environment needs required reviewers: pass --reviewers to have them in the commands, or add them in Settings → Environments → production.',
      );
    }
    return false;
  }
  const writes = githubWrites(repositoryOf(options), setup.github.state, targets);
  if (writes.length === 0) {
    deps.log(`GitHub: environment(s) ${names} already hold these settings; nothing written.`);
    return false;
  }
  if (options.dryRun) {
    for (const write of writes) deps.log(`GitHub (dry run, not written): ${write.what}`);
    return false;
  }
  await applyWrites(setup.github.request, writes, deps.log);
  return true;
}
