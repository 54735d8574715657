// A stand-in for GitHub's REST API on 127.0.0.1 (the endpoints `npm run bootstrap` uses), with
// the state they change: environments, their required reviewers and variables. It records every
// request and answers 401 to any request without the expected token, as GitHub does.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GitHubRequest } from '../../bootstrap/src/deps';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorized: boolean;
  readonly status: number;
}

export interface FakeEnvironment {
  reviewers: number[];
  readonly variables: Map<string, string>;
}

export interface FakeGitHub {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly environments: Map<string, FakeEnvironment>;
  /** Answer `status` to requests whose "METHOD /path" matches (a token without a permission). */
  deny(pattern: RegExp, status?: number): void;
  allowAll(): void;
  writes(): RecordedRequest[];
  stop(): Promise<void>;
}

type Answer = readonly [number, unknown];

export async function startFakeGitHub(options: {
  token: string;
  repo: string;
  users: Readonly<Record<string, number>>;
  /** Whether the token's user is a repository admin (default true). */
  admin?: boolean;
}): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const environments = new Map<string, FakeEnvironment>();
  const denials: { pattern: RegExp; status: number }[] = [];
  const api = { ...options, environments };
  const server = createServer((incoming, outgoing) => {
    void readJson(incoming).then((body) => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const call = `${incoming.method ?? 'GET'} ${url.pathname}`;
      const authorized =
        /^(?:token|bearer) (.+)$/i.exec(incoming.headers.authorization ?? '')?.[1] ===
        options.token;
      const denial = denials.find((rule) => rule.pattern.test(call));
      const [status, data]: Answer = !authorized
        ? [401, { message: 'Bad credentials' }]
        : denial
          ? [denial.status, { message: 'Resource not accessible by personal access token' }]
          : route(api, incoming.method ?? 'GET', url, body);
      requests.push({ method: incoming.method ?? 'GET', path: url.pathname, authorized, status });
      reply(outgoing, status, data);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    environments,
    deny: (pattern, status = 403) => {
      denials.push({ pattern, status });
    },
    allowAll: () => {
      denials.splice(0);
    },
    writes: () => requests.filter((request) => request.method !== 'GET' && request.status < 300),
    stop: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

function route(
  api: {
    repo: string;
    admin?: boolean;
    users: Readonly<Record<string, number>>;
    environments: Map<string, FakeEnvironment>;
  },
  method: string,
  url: URL,
  body: Record<string, unknown>,
): Answer {
  const path = url.pathname;
  if (method === 'GET' && path === `/repos/${api.repo}`)
    return [
      200,
      { full_name: api.repo, permissions: { admin: api.admin ?? true, push: true, pull: true } },
    ];
  const user = /^\/users\/([^/]+)$/.exec(path);
  if (method === 'GET' && user) {
    const id = api.users[user[1] ?? ''];
    return id === undefined ? [404, { message: 'Not Found' }] : [200, { login: user[1], id }];
  }
  const prefix = `/repos/${api.repo}/environments/`;
  if (!path.startsWith(prefix)) return [404, { message: 'Not Found' }];
  const [name = '', rest = '', variable] = path
    .slice(prefix.length)
    .split('/')
    .map(decodeURIComponent);
  if (rest === '') return environmentRoute(api.environments, method, name, body);
  const environment = api.environments.get(name);
  if (rest !== 'variables' || !environment) return [404, { message: 'Not Found' }];
  return variablesRoute(environment, method, variable, url, body);
}

function environmentRoute(
  environments: Map<string, FakeEnvironment>,
  method: string,
  name: string,
  body: Record<string, unknown>,
): Answer {
  if (method === 'PUT') {
    const environment = environments.get(name) ?? {
      reviewers: [],
      variables: new Map<string, string>(),
    };
    const reviewers = body.reviewers as { type: string; id: number }[] | undefined;
    if (reviewers) environment.reviewers = reviewers.map((reviewer) => reviewer.id);
    environments.set(name, environment);
    return [200, { name }];
  }
  const environment = environments.get(name);
  if (method !== 'GET' || !environment) return [404, { message: 'Not Found' }];
  const rules = environment.reviewers.length
    ? [
        {
          type: 'required_reviewers',
          reviewers: environment.reviewers.map((id) => ({ type: 'User', reviewer: { id } })),
        },
      ]
    : [];
  return [200, { name, protection_rules: rules }];
}

function variablesRoute(
  environment: FakeEnvironment,
  method: string,
  variable: string | undefined,
  url: URL,
  body: Record<string, unknown>,
): Answer {
  if (method === 'GET' && variable === undefined) {
    const perPage = Number(url.searchParams.get('per_page') ?? '10');
    const page = Number(url.searchParams.get('page') ?? '1');
    const all = [...environment.variables].map(([name, value]) => ({ name, value }));
    return [
      200,
      { total_count: all.length, variables: all.slice((page - 1) * perPage, page * perPage) },
    ];
  }
  const name = typeof body.name === 'string' ? body.name : '';
  if (method === 'POST' && variable === undefined) {
    if (environment.variables.has(name)) return [409, { message: 'Already exists' }];
    environment.variables.set(name, typeof body.value === 'string' ? body.value : '');
    return [201, {}];
  }
  if (method === 'PATCH' && variable !== undefined && environment.variables.has(variable)) {
    environment.variables.set(variable, typeof body.value === 'string' ? body.value : '');
    return [204, undefined];
  }
  return [404, { message: 'Not Found' }];
}

/**
 * GitHub's REST API as @octokit/core's `request` calls it (the bootstrap's GitHubRequest), over
 * fetch: `{name}` in the route from the parameters, the rest as the query (GET) or the JSON body;
 * a refusal is an error with the HTTP `status`, as Octokit's RequestError is.
 */
export function requestTo(url: string, token: string): GitHubRequest {
  return async (route, parameters = {}) => {
    const [method = 'GET', template = ''] = route.split(' ');
    const used = new Set<string>();
    const path = template.replace(/\{(\w+)\}/g, (_, key: string) => {
      used.add(key);
      return encodeURIComponent(String(parameters[key]));
    });
    const rest = Object.fromEntries(Object.entries(parameters).filter(([key]) => !used.has(key)));
    const query = new URLSearchParams(
      Object.entries(rest).map(([key, value]): [string, string] => [key, String(value)]),
    ).toString();
    const response = await fetch(`${url}${path}${method === 'GET' ? `?${query}` : ''}`, {
      method,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      ...(method === 'GET' ? {} : { body: JSON.stringify(rest) }),
    });
    const text = await response.text();
    const data: unknown = text ? JSON.parse(text) : undefined;
    if (response.status >= 400) {
      const message = (data as { message?: string } | undefined)?.message ?? '';
      throw Object.assign(new Error(message), { status: response.status });
    }
    return { status: response.status, data };
  };
}

async function readJson(incoming: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function reply(outgoing: ServerResponse, status: number, data: unknown): void {
  outgoing.writeHead(status, { 'content-type': 'application/json' });
  outgoing.end(data === undefined ? '' : JSON.stringify(data));
}
