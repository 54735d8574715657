import { ConfigurationError } from '../../actions/shared/errors';
import type { GitHubRequest } from '../../bootstrap/src/deps';
import {
  applyWrites,
  githubWrites,
  readGitHub,
  type GitHubWrite,
} from '../../bootstrap/src/github';

// GitHub's answers the fake GitHub server does not give: other protection rules, pages without
// a list, refusals of every kind, a network failure.
const repository = { owner: 'octo', repo: 'pipe' };
const ENVIRONMENT = 'GET /repos/{owner}/{repo}/environments/{environment_name}';
const VARIABLES = `${ENVIRONMENT}/variables`;

const refusal = (status: number, message = 'Forbidden') =>
  Object.assign(new Error(message), { status });

/** A GitHub answering `answers[route]` (a value, or an error to throw), else `{}`. */
function gitHub(answers: Record<string, unknown>, calls: string[] = []): GitHubRequest {
  return (route, parameters) => {
    calls.push(`${route} ${JSON.stringify(parameters)}`);
    const answer = route in answers ? answers[route] : {};
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve({ status: 200, data: answer });
  };
}

const write = (route: string): GitHubWrite => ({
  route,
  parameters: { ...repository, environment_name: 'qa', name: 'X', value: '1' },
  what: `${route.split(' ')[0] ?? ''} X`,
});

describe('npm run bootstrap: reading GitHub', () => {
  it('keeps only the users GitHub requires as reviewers', async () => {
    // Prepare
    const request = gitHub({
      [ENVIRONMENT]: {
        protection_rules: [
          { type: 'wait_timer' },
          {
            type: 'required_reviewers',
            reviewers: [
              { type: 'Team', reviewer: { id: 70 } },
              { type: 'User', reviewer: { id: 12 } },
              { type: 'User' },
              { type: 'User', reviewer: { id: 3 } },
            ],
          },
          { type: 'required_reviewers' },
        ],
      },
      [VARIABLES]: {},
    });

    // Act
    const state = await readGitHub(request, repository, ['production'], []);

    // Assess
    expect(state.environments.get('production')).toEqual({
      exists: true,
      reviewerIds: [12, 3],
      variables: new Map(),
    });
  });

  it('reads an environment without protection rules, and one that does not exist', async () => {
    // Prepare
    const calls: string[] = [];
    const request: GitHubRequest = (route, parameters) =>
      parameters?.environment_name === 'qa-drift' && route === ENVIRONMENT
        ? Promise.reject(refusal(404, 'Not Found'))
        : gitHub(
            { [ENVIRONMENT]: {}, [VARIABLES]: { variables: [{ name: 'A', value: '1' }] } },
            calls,
          )(route, parameters);

    // Act
    const state = await readGitHub(request, repository, ['qa', 'qa-drift'], []);

    // Assess
    expect([...state.environments]).toEqual([
      ['qa', { exists: true, reviewerIds: [], variables: new Map([['A', '1']]) }],
      ['qa-drift', { exists: false, reviewerIds: [], variables: new Map() }],
    ]);
    expect(calls).toContain(
      `${VARIABLES} {"owner":"octo","repo":"pipe","environment_name":"qa","per_page":30,"page":1}`,
    );
  });

  it('goes on when GitHub does not say whether the token user is an admin', async () => {
    // Act
    const state = await readGitHub(gitHub({ 'GET /repos/{owner}/{repo}': {} }), repository, [], []);

    // Assess
    expect(state).toEqual({ environments: new Map(), userIds: new Map() });
  });

  it('reads the reviewers ids by login', async () => {
    // Prepare
    const calls: string[] = [];

    // Act
    const state = await readGitHub(
      gitHub({ 'GET /users/{username}': { id: 42 } }, calls),
      repository,
      [],
      ['alice'],
    );

    // Assess
    expect(state.userIds).toEqual(new Map([['alice', 42]]));
    expect(calls).toContain('GET /users/{username} {"username":"alice"}');
  });

  it.each([
    [
      404,
      `GitHub answered 404 to GET /repos/octo/pipe: the repository does not exist, or the token lacks read access to the repository's environments (fine-grained token: 'Environments: read' and 'Metadata: read'; classic token: the 'repo' scope).`,
    ],
    [401, 'GitHub refused the token (401 on GET /repos/octo/pipe): it is invalid or expired.'],
    [502, 'GitHub answered 502 to GET /repos/octo/pipe: Bad Gateway'],
  ])('names a refusal to read the repository (%i)', async (status, message) => {
    // Act
    const read = readGitHub(
      gitHub({ 'GET /repos/{owner}/{repo}': refusal(status, 'Bad Gateway') }),
      repository,
      [],
      [],
    );

    // Assess
    await expect(read).rejects.toThrow(new ConfigurationError(message));
  });

  it('names a 403 on the variables of an environment that exists', async () => {
    // Act
    const read = readGitHub(
      gitHub({ [ENVIRONMENT]: {}, [VARIABLES]: refusal(403) }),
      repository,
      ['qa'],
      [],
    );

    // Assess
    await expect(read).rejects.toThrow(
      'GitHub answered 403 to GET /repos/octo/pipe/environments/qa/variables: the repository does not exist, or the token lacks read access',
    );
  });

  it('lets a failure without an HTTP status through as it is', async () => {
    // Prepare
    const network = new TypeError('fetch failed');

    // Act
    const read = readGitHub(gitHub({ 'GET /repos/{owner}/{repo}': network }), repository, [], []);

    // Assess
    await expect(read).rejects.toBe(network);
  });
});

describe('npm run bootstrap: writing GitHub', () => {
  it.each([
    [
      'PUT /repos/{owner}/{repo}/environments/{environment_name}',
      "the repository's 'Administration: write' permission",
    ],
    [
      'PATCH /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}',
      "the 'Environments: write' permission",
    ],
    [
      'DELETE /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}',
      'read access',
    ],
  ])('names the permission a refused %s needs', async (route, permission) => {
    // Prepare
    const log: string[] = [];
    const calls: string[] = [];

    // Act
    const apply = applyWrites(gitHub({ [route]: refusal(403) }, calls), [write(route)], (line) =>
      log.push(line),
    );

    // Assess
    await expect(apply).rejects.toThrow(`the token lacks ${permission}`);
    expect(calls).toHaveLength(1);
    expect(log).toEqual([]);
  });

  it('sends the writes in order, logging each once done', async () => {
    // Prepare
    const log: string[] = [];
    const calls: string[] = [];
    const routes = ['PUT /a', 'POST /b'];

    // Act
    await applyWrites(gitHub({}, calls), routes.map(write), (line) => log.push(line));

    // Assess
    expect(calls.map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual(routes);
    expect(log).toEqual(['GitHub: PUT X', 'GitHub: POST X']);
  });

  it('compares required reviewers as sets of ids', () => {
    // Prepare
    const state = (reviewerIds: number[]) => ({
      environments: new Map([
        ['production', { exists: true, reviewerIds, variables: new Map<string, string>() }],
      ]),
      userIds: new Map([
        ['a', 1],
        ['b', 11],
        ['c', 111],
        ['d', 3],
      ]),
    });
    const target = (...reviewers: string[]) => [{ name: 'production', reviewers, variables: {} }];

    // Act
    const writes = [
      githubWrites(repository, state([3, 11, 1]), target('b', 'd', 'a')),
      githubWrites(repository, state([111]), target('a', 'b')),
      githubWrites(repository, state([1, 11]), target('c')),
    ];

    // Assess
    expect(writes.map((list) => list.map((w) => w.what))).toEqual([
      [],
      ['update environment production (required reviewers: a, b)'],
      ['update environment production (required reviewers: c)'],
    ]);
  });

  it('creates an environment GitHub does not have, then its variables', () => {
    // Act
    const writes = githubWrites(repository, { environments: new Map(), userIds: new Map() }, [
      { name: 'qa', reviewers: undefined, variables: { STACK_NAME: 'anomaly-detection-qa' } },
    ]);

    // Assess
    expect(writes.map((w) => w.what)).toEqual([
      'create environment qa',
      'set qa variable STACK_NAME',
    ]);
  });
});
