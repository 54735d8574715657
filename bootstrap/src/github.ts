// The GitHub side, through the REST API: everything is read first (the token, the repository,
// the environments, their variables, the reviewers' ids), so a token that cannot even read stops
// the run before the stack changes; afterwards only what differs is written.
import { ConfigurationError } from '../../actions/shared/errors';
import type { GitHubRequest } from './deps';
import type { GitHubEnvironmentTarget } from './variables';

export interface EnvironmentState {
  readonly exists: boolean;
  readonly reviewerIds: readonly number[];
  readonly variables: ReadonlyMap<string, string>;
}

export interface GitHubState {
  readonly environments: ReadonlyMap<string, EnvironmentState>;
  /** Login → user id, for every --reviewers login. */
  readonly userIds: ReadonlyMap<string, number>;
}

export interface GitHubWrite {
  readonly route: string;
  readonly parameters: Record<string, unknown>;
  readonly what: string;
}

export interface Repository {
  readonly owner: string;
  readonly repo: string;
}

const READ_PERMISSION =
  "read access to the repository's environments (fine-grained token: 'Environments: read' and 'Metadata: read'; classic token: the 'repo' scope)";
const WRITE_PERMISSION: Readonly<Record<string, string>> = {
  PUT: "the repository's 'Administration: write' permission (fine-grained token; classic token: the 'repo' scope), held by a repository admin",
  POST: "the 'Environments: write' permission (fine-grained token; classic token: the 'repo' scope)",
  PATCH:
    "the 'Environments: write' permission (fine-grained token; classic token: the 'repo' scope)",
};
const PAGE = 30;

export async function readGitHub(
  request: GitHubRequest,
  repository: Repository,
  environments: readonly string[],
  logins: readonly string[],
): Promise<GitHubState> {
  const repo = (await call(
    request,
    'GET /repos/{owner}/{repo}',
    { ...repository },
    READ_PERMISSION,
  )) as {
    permissions?: { admin?: boolean };
  };
  // Only a repository admin may create environments and set their reviewers: say so now rather
  // than after the stack changed, when the first write would be refused.
  if (repo.permissions?.admin === false) {
    throw new ConfigurationError(
      `The GitHub token's user is not an admin of ${repository.owner}/${repository.repo}: creating environments and setting their reviewers needs ${WRITE_PERMISSION.PUT ?? ''}.`,
    );
  }
  const states = new Map<string, EnvironmentState>();
  for (const name of environments)
    states.set(name, await readEnvironment(request, repository, name));
  const userIds = new Map<string, number>();
  for (const login of logins) {
    const user = await call(
      request,
      'GET /users/{username}',
      { username: login },
      READ_PERMISSION,
      true,
    );
    if (!user) throw new ConfigurationError(`--reviewers: there is no GitHub user '${login}'`);
    userIds.set(login, (user as { id: number }).id);
  }
  return { environments: states, userIds };
}

async function readEnvironment(
  request: GitHubRequest,
  repository: Repository,
  name: string,
): Promise<EnvironmentState> {
  const parameters = { ...repository, environment_name: name };
  const found = await call(
    request,
    'GET /repos/{owner}/{repo}/environments/{environment_name}',
    parameters,
    READ_PERMISSION,
    true,
  );
  if (!found) return { exists: false, reviewerIds: [], variables: new Map() };
  const rules =
    (
      found as {
        protection_rules?: {
          type: string;
          reviewers?: { type: string; reviewer?: { id: number } }[];
        }[];
      }
    ).protection_rules ?? [];
  const reviewerIds = rules
    .filter((rule) => rule.type === 'required_reviewers')
    .flatMap((rule) => rule.reviewers ?? [])
    .filter((reviewer) => reviewer.type === 'User' && reviewer.reviewer)
    .map((reviewer) => reviewer.reviewer?.id ?? 0);
  const variables = new Map<string, string>();
  for (let page = 1; ; page++) {
    const data = (await call(
      request,
      'GET /repos/{owner}/{repo}/environments/{environment_name}/variables',
      { ...parameters, per_page: PAGE, page },
      READ_PERMISSION,
    )) as { variables?: { name: string; value: string }[] };
    for (const variable of data.variables ?? []) variables.set(variable.name, variable.value);
    if ((data.variables ?? []).length < PAGE) break;
  }
  return { exists: true, reviewerIds, variables };
}

/** The writes that make GitHub hold the targets: none when it already does. */
export function githubWrites(
  repository: Repository,
  state: GitHubState,
  targets: readonly GitHubEnvironmentTarget[],
): GitHubWrite[] {
  return targets.flatMap((target) => {
    const current = state.environments.get(target.name) ?? {
      exists: false,
      reviewerIds: [],
      variables: new Map<string, string>(),
    };
    const environment = { ...repository, environment_name: target.name };
    const writes: GitHubWrite[] = [];
    const wanted = target.reviewers?.map((login) => state.userIds.get(login) ?? 0);
    if (!current.exists || (wanted && !sameIds(wanted, current.reviewerIds))) {
      writes.push({
        route: 'PUT /repos/{owner}/{repo}/environments/{environment_name}',
        parameters: {
          ...environment,
          ...(wanted ? { reviewers: wanted.map((id) => ({ type: 'User', id })) } : {}),
        },
        what: `${current.exists ? 'update' : 'create'} environment ${target.name}${wanted ? ` (required reviewers: ${target.reviewers?.join(', ') ?? ''})` : ''}`,
      });
    }
    for (const [name, value] of Object.entries(target.variables)) {
      const had = current.variables.get(name);
      if (had === value) continue;
      writes.push(
        had === undefined
          ? {
              route: 'POST /repos/{owner}/{repo}/environments/{environment_name}/variables',
              parameters: { ...environment, name, value },
              what: `set ${target.name} variable ${name}`,
            }
          : {
              route: 'PATCH /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}',
              parameters: { ...environment, name, value },
              what: `update ${target.name} variable ${name}`,
            },
      );
    }
    return writes;
  });
}

export async function applyWrites(
  request: GitHubRequest,
  writes: readonly GitHubWrite[],
  log: (line: string) => void,
): Promise<void> {
  for (const write of writes) {
    const method = write.route.split(' ')[0] ?? '';
    await call(request, write.route, write.parameters, WRITE_PERMISSION[method] ?? READ_PERMISSION);
    log(`GitHub: ${write.what}`);
  }
}

const sameIds = (a: readonly number[], b: readonly number[]): boolean =>
  [...a].sort((x, y) => x - y).join(',') === [...b].sort((x, y) => x - y).join(',');

/** One API call; 404 is undefined when `missingIsAnswer`, any other refusal a ConfigurationError. */
async function call(
  request: GitHubRequest,
  route: string,
  parameters: Record<string, unknown>,
  permission: string,
  missingIsAnswer = false,
): Promise<unknown> {
  try {
    return (await request(route, parameters)).data;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status !== 'number') throw error;
    if (status === 404 && missingIsAnswer) return undefined;
    const where = route.replace(/\{(\w+)\}/g, (_, key: string) => String(parameters[key]));
    if (status === 401)
      throw new ConfigurationError(
        `GitHub refused the token (401 on ${where}): it is invalid or expired.`,
      );
    if (status === 403 || status === 404) {
      throw new ConfigurationError(
        `GitHub answered ${status} to ${where}: the repository does not exist, or the token lacks ${permission}.`,
      );
    }
    throw new ConfigurationError(
      `GitHub answered ${status} to ${where}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
