import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { deploy, deployedStack, emulator, useEmulator } from './emulator';

// A preview on a pull request, as the built action runs it: it keeps one comment on the pull
// request up to date through GitHub's REST API (here a fake of it on 127.0.0.1, which the action
// reaches through GITHUB_API_URL, as on GitHub Enterprise Server).
useEmulator();

interface Comment {
  id: number;
  body: string;
}
interface Request {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

const ISSUE_COMMENTS = '/repos/octo-org/anomaly-pipeline/issues/7/comments';
const github = {
  server: undefined as unknown as Server,
  url: '',
  /** Other people's comments first: the action's own must be found on the second page. */
  comments: [] as Comment[],
  requests: [] as Request[],
};

/** The three calls the action makes, paginated like GitHub (Link header, `page` query). */
function answer(request: Request, response: ServerResponse): void {
  const url = new URL(request.path, github.url);
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  if (request.method === 'GET' && url.pathname === ISSUE_COMMENTS) {
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(github.comments.length / perPage));
    const link =
      page < last
        ? {
            link: `<${github.url}${ISSUE_COMMENTS}?per_page=${perPage}&page=${page + 1}>; rel="next"`,
          }
        : {};
    send(200, github.comments.slice((page - 1) * perPage, page * perPage), link);
    return;
  }
  if (request.method === 'POST' && url.pathname === ISSUE_COMMENTS) {
    const comment = {
      id: 9000 + github.comments.length,
      body: (JSON.parse(request.body) as Comment).body,
    };
    github.comments.push(comment);
    send(201, comment);
    return;
  }
  const edit = /^\/repos\/octo-org\/anomaly-pipeline\/issues\/comments\/(\d+)$/.exec(url.pathname);
  const comment = github.comments.find((c) => c.id === Number(edit?.[1]));
  if (request.method === 'PATCH' && comment) {
    comment.body = (JSON.parse(request.body) as Comment).body;
    send(200, comment);
    return;
  }
  send(404, { message: 'Not Found' });
}

beforeAll(async () => {
  github.server = createServer((incoming: IncomingMessage, response) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
    incoming.on('end', () => {
      const request = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        authorization: incoming.headers.authorization,
        body,
      };
      github.requests.push(request);
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => github.server.listen(0, '127.0.0.1', resolve));
  github.url = `http://127.0.0.1:${(github.server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => github.server.close(resolve)));

beforeEach(() => {
  github.comments = Array.from({ length: 120 }, (_, i) => ({ id: i + 1, body: `review ${i + 1}` }));
  github.requests = [];
});

/** A preview of a changed retention on pull request 7, with a token. */
function previewOnPullRequest(retentionDays: string) {
  const event = join(emulator.workspace, 'event.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 7 } }));
  return deploy(
    {
      'parameter-overrides': `LogRetentionDays=${retentionDays}`,
      execute: 'false',
      'github-token': 'gh-test-token',
    },
    { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_API_URL: github.url },
  );
}

it('comments the preview on the pull request once, then edits that comment on the next run', async () => {
  // Prepare
  await deployedStack();

  // Act
  const first = await previewOnPullRequest('30');
  const second = await previewOnPullRequest('60');

  // Assess
  expect(first.failure).toBeUndefined();
  expect(second.failure).toBeUndefined();
  const ours = github.comments.filter((c) =>
    c.body.includes('<!-- cfn-deploy-change-set-preview:anomaly-detection -->'),
  );
  expect(ours).toHaveLength(1);
  expect(ours[0]!.body).toContain('Preview of the change set');
  expect(ours[0]!.body).toContain(second.outputs['change-set']!.trim().split('\n')[0]!);
  const calls = github.requests.map(
    (r) =>
      `${r.method} ${new URL(r.path, github.url).pathname}${new URL(r.path, github.url).search}`,
  );
  expect(calls).toEqual([
    `GET ${ISSUE_COMMENTS}?per_page=100`,
    `GET ${ISSUE_COMMENTS}?per_page=100&page=2`,
    `POST ${ISSUE_COMMENTS}`,
    `GET ${ISSUE_COMMENTS}?per_page=100`,
    `GET ${ISSUE_COMMENTS}?per_page=100&page=2`,
    `PATCH /repos/octo-org/anomaly-pipeline/issues/comments/${ours[0]!.id}`,
  ]);
  expect(new Set(github.requests.map((r) => r.authorization))).toEqual(
    new Set(['token gh-test-token']),
  );
});
