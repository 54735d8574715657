import { githubIssues } from '../../../actions/cfn-drift/src/issue-api';

type Octokit = Parameters<typeof githubIssues>[0];
type Params = Record<string, unknown>;
interface Answer {
  readonly data: unknown;
  readonly headers?: Record<string, string>;
}

/**
 * The part of Octokit the port uses, over one fake `request`: the issue endpoints are routes, and
 * `paginate` asks for page after page while the answer links a next one, as Octokit's does.
 */
function fakeOctokit(answer: (route: string, params: Params) => Answer) {
  const requests: { route: string; params: Params }[] = [];
  const request = (route: string, params: Params): Promise<Answer> => {
    requests.push({ route, params });
    return Promise.resolve(answer(route, params));
  };
  const endpoint = (route: string) => (params: Params) => request(route, params);
  const octokit = {
    request,
    rest: {
      issues: {
        listForRepo: endpoint('GET /repos/{owner}/{repo}/issues'),
        create: endpoint('POST /repos/{owner}/{repo}/issues'),
        update: endpoint('PATCH /repos/{owner}/{repo}/issues/{issue_number}'),
        createComment: endpoint('POST /repos/{owner}/{repo}/issues/{issue_number}/comments'),
      },
    },
    paginate: async (method: (params: Params) => Promise<Answer>, params: Params) => {
      const items: unknown[] = [];
      for (let page = 1; ; page += 1) {
        const { data, headers = {} } = await method({ ...params, page });
        items.push(...(data as unknown[]));
        if (!headers.link?.includes('rel="next"')) return items;
      }
    },
  };
  return { requests, octokit: octokit as unknown as Octokit };
}

const REPO = { owner: 'octo', repo: 'pipeline' };
const issue = (number: number, body: string | null, extra: Params = {}) => ({
  number,
  body,
  ...extra,
});

describe('the drift issues port on the GitHub REST API', () => {
  it('lists the open issues with the label, page after page, leaving out pull requests', async () => {
    // Prepare: two pages; GitHub lists pull requests among issues.
    const pages = [
      [issue(3, 'drift of app'), issue(4, 'a PR', { pull_request: { url: 'u' } })],
      [issue(9, null)],
    ];
    const { octokit, requests } = fakeOctokit((_route, params) => {
      const page = params.page as number;
      return {
        data: pages[page - 1],
        headers:
          page < pages.length ? { link: `<https://api/x?page=${page + 1}>; rel="next"` } : {},
      };
    });

    // Act
    const open = await githubIssues(octokit, REPO).listOpen('drift');

    // Assess
    expect(open).toEqual([
      { number: 3, body: 'drift of app' },
      { number: 9, body: '' },
    ]);
    const asked = {
      owner: 'octo',
      repo: 'pipeline',
      state: 'open',
      labels: 'drift',
      per_page: 100,
    };
    expect(requests).toEqual([
      { route: 'GET /repos/{owner}/{repo}/issues', params: { ...asked, page: 1 } },
      { route: 'GET /repos/{owner}/{repo}/issues', params: { ...asked, page: 2 } },
    ]);
  });

  it('opens an issue with title, body and labels, answering its number', async () => {
    const { octokit, requests } = fakeOctokit(() => ({ data: { number: 12 } }));

    const number = await githubIssues(octokit, REPO).create('Drift: app', 'the table', ['drift']);

    expect(number).toBe(12);
    expect(requests).toEqual([
      {
        route: 'POST /repos/{owner}/{repo}/issues',
        params: {
          owner: 'octo',
          repo: 'pipeline',
          title: 'Drift: app',
          body: 'the table',
          labels: ['drift'],
        },
      },
    ]);
  });

  it("rewrites an issue's body, comments on it and closes it as completed", async () => {
    const { octokit, requests } = fakeOctokit(() => ({ data: {} }));
    const issues = githubIssues(octokit, REPO);

    await issues.update(12, 'new table');
    await issues.comment(12, 'back in sync');
    await issues.close(12);

    expect(requests).toEqual([
      {
        route: 'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
        params: { owner: 'octo', repo: 'pipeline', issue_number: 12, body: 'new table' },
      },
      {
        route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
        params: { owner: 'octo', repo: 'pipeline', issue_number: 12, body: 'back in sync' },
      },
      {
        route: 'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
        params: {
          owner: 'octo',
          repo: 'pipeline',
          issue_number: 12,
          state: 'closed',
          state_reason: 'completed',
        },
      },
    ]);
  });

  it('passes on a refusal from GitHub as it came', async () => {
    const { octokit } = fakeOctokit(() => {
      throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
    });

    await expect(githubIssues(octokit, REPO).close(12)).rejects.toThrow(
      'Resource not accessible by integration',
    );
  });
});
