import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An issue as the fake GitHub API holds it. */
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  state_reason: string | null;
  comments: string[];
}

export interface FakeGitHub {
  /** What to pass as GITHUB_API_URL. */
  readonly apiUrl: string;
  readonly issues: FakeIssue[];
  /** Every request, as "METHOD /path". */
  readonly requests: string[];
  stop(): Promise<void>;
}

const ISSUES = /^\/repos\/([^/]+)\/([^/]+)\/issues(?:\/(\d+)(\/comments)?)?$/;

/**
 * The slice of GitHub's REST API the drift issue uses (list, create, update, comment on issues
 * of one repository), on 127.0.0.1. As strict as GitHub where it matters to us: a token is
 * required, another repository or an unknown issue is a 404, a closed issue is not listed as open.
 */
export async function startFakeGitHub(repository: string, token: string): Promise<FakeGitHub> {
  const issues: FakeIssue[] = [];
  const requests: string[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      requests.push(`${request.method ?? ''} ${url.pathname}`);
      if (request.headers.authorization !== `token ${token}`)
        return send(response, 401, { message: 'Bad credentials' });
      const match = ISSUES.exec(url.pathname);
      if (!match || `${match[1]}/${match[2]}` !== repository)
        return send(response, 404, { message: 'Not Found' });
      return answer(issues, request.method ?? '', match, url, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    issues,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

function answer(
  issues: FakeIssue[],
  method: string,
  match: RegExpExecArray,
  url: URL,
  body: Record<string, unknown>,
  response: ServerResponse,
): 'sent' {
  const number = match[3] ? Number(match[3]) : undefined;
  if (number === undefined) {
    if (method === 'GET') return send(response, 200, listed(issues, url).map(shown));
    if (method !== 'POST' || typeof body.title !== 'string')
      return send(response, 422, { message: 'Validation Failed' });
    const issue: FakeIssue = {
      number: issues.length + 1,
      title: body.title,
      body: typeof body.body === 'string' ? body.body : '',
      labels: Array.isArray(body.labels) ? body.labels.map(String) : [],
      state: 'open',
      state_reason: null,
      comments: [],
    };
    issues.push(issue);
    return send(response, 201, shown(issue));
  }
  const issue = issues.find((candidate) => candidate.number === number);
  if (!issue) return send(response, 404, { message: 'Not Found' });
  if (match[4] && method === 'POST') {
    issue.comments.push(typeof body.body === 'string' ? body.body : '');
    return send(response, 201, { id: issue.comments.length, body: body.body });
  }
  if (method !== 'PATCH') return send(response, 404, { message: 'Not Found' });
  if (typeof body.body === 'string') issue.body = body.body;
  if (body.state === 'closed' || body.state === 'open') issue.state = body.state;
  if (typeof body.state_reason === 'string') issue.state_reason = body.state_reason;
  return send(response, 200, shown(issue));
}

function listed(issues: FakeIssue[], url: URL): FakeIssue[] {
  const state = url.searchParams.get('state') ?? 'open';
  const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
  return issues.filter(
    (issue) =>
      (state === 'all' || issue.state === state) &&
      labels.every((label) => issue.labels.includes(label)),
  );
}

const shown = (issue: FakeIssue) => ({
  number: issue.number,
  title: issue.title,
  body: issue.body,
  state: issue.state,
  state_reason: issue.state_reason,
  labels: issue.labels.map((name) => ({ name })),
});

/** Answers the request; the value only lets callers answer and return in one statement. */
function send(response: ServerResponse, status: number, body: unknown): 'sent' {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
  return 'sent';
}

function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
    });
  });
}
