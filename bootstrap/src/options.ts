// The command line, parsed once (node:util parseArgs) and checked whole before any AWS or GitHub
// call: a bad flag is a ConfigurationError naming it, and nothing has been touched yet.
import { parseArgs } from 'node:util';
import { ConfigurationError } from '../../actions/shared/errors';
import { checkEnvironmentName } from './environments';
import { checkRegion } from './regions';

export interface BootstrapOptions {
  readonly owner: string;
  readonly repository: string;
  readonly environment: string;
  /** undefined: the SDK's standard chain decides (AWS_REGION, the profile). */
  readonly region: string | undefined;
  readonly accountId: string | undefined;
  readonly reviewers: readonly string[];
  readonly alertEmail: string | undefined;
  readonly setGithubVariables: boolean;
  readonly yes: boolean;
  readonly dryRun: boolean;
}

export type ParsedCommand =
  { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: BootstrapOptions };

const FLAGS = {
  repo: { type: 'string' },
  environment: { type: 'string' },
  region: { type: 'string' },
  'account-id': { type: 'string' },
  reviewers: { type: 'string' },
  'alert-email': { type: 'string' },
  'set-github-variables': { type: 'boolean' },
  yes: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

// The same rules as the bootstrap template's GitHubOwner and RepositoryName parameters.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPOSITORY = /^[A-Za-z0-9_.-]{1,100}$/;
const ACCOUNT_ID = /^\d{12}$/;
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
/** GitHub environments the bootstrap writes besides E itself (COMMON agreements). */
const RESERVED = /^preview$|-drift$/;

export function parseCommand(argv: readonly string[]): ParsedCommand {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new ConfigurationError(
      `${error instanceof Error ? error.message : String(error)} (see --help)`,
    );
  }
  if (values.help) return { kind: 'help' };
  const [owner, repository] = checkRepo(required(values.repo, '--repo OWNER/NAME'));
  return {
    kind: 'run',
    options: {
      owner,
      repository,
      environment: checkEnvironment(required(values.environment, '--environment E')),
      region: values.region === undefined ? undefined : checkRegion(values.region),
      accountId:
        values['account-id'] === undefined ? undefined : checkAccountId(values['account-id']),
      reviewers: values.reviewers === undefined ? [] : checkReviewers(values.reviewers),
      alertEmail:
        values['alert-email'] === undefined ? undefined : checkEmail(values['alert-email']),
      setGithubVariables: values['set-github-variables'] ?? false,
      yes: values.yes ?? false,
      dryRun: values['dry-run'] ?? false,
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false });
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '')
    throw new ConfigurationError(`${flag} is required (see --help)`);
  return value;
}

export function checkRepo(repo: string): [string, string] {
  const [owner = '', repository = '', ...rest] = repo.split('/');
  const ok =
    rest.length === 0 &&
    OWNER.test(owner) &&
    REPOSITORY.test(repository) &&
    !/^\.+$/.test(repository);
  if (!ok) {
    throw new ConfigurationError(
      `--repo '${repo}' is not OWNER/NAME: a GitHub user or organisation (letters, digits, hyphens) and a repository name (letters, digits, '.', '_', '-'), e.g. octo-org/anomaly-pipeline`,
    );
  }
  return [owner, repository];
}

function checkEnvironment(environment: string): string {
  checkEnvironmentName(environment, '--environment');
  if (RESERVED.test(environment)) {
    throw new ConfigurationError(
      `--environment '${environment}' is reserved: 'preview' and 'E-drift' are the GitHub environments of the read-only jobs, written by the bootstrap of production and of E`,
    );
  }
  return environment;
}

function checkAccountId(accountId: string): string {
  if (!ACCOUNT_ID.test(accountId))
    throw new ConfigurationError(`--account-id '${accountId}' is not a 12-digit AWS account id`);
  return accountId;
}

function checkReviewers(list: string): string[] {
  const logins = list.split(',').map((login) => login.trim());
  const bad = logins.filter((login) => !OWNER.test(login));
  if (bad.length > 0 || logins.length === 0) {
    throw new ConfigurationError(
      `--reviewers '${list}' must be GitHub user logins separated by commas (e.g. alice,bob); not a login: ${bad.map((login) => `'${login}'`).join(', ')}`,
    );
  }
  return [...new Set(logins)];
}

function checkEmail(address: string): string {
  if (!EMAIL.test(address))
    throw new ConfigurationError(`--alert-email '${address}' is not one e-mail address`);
  return address;
}
