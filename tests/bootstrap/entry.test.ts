import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deps } from '../../bootstrap/src/deps';
import { startEntry } from '../support/entry';

// The entry file as `npm run bootstrap` runs it: what it hands run() from the process (the
// terminal, the template, the clients, the GitHub token and API), and the exit status and stderr
// line for each outcome. run() is replaced, and so are the modules that reach outside: the GitHub
// CLI (execa), GitHub's API (Octokit) and the terminal (readline).
const run = jest.fn<Promise<unknown>, [Deps]>();
jest.mock('../../bootstrap/src/main', () => ({ run }));
const execa = jest.fn<Promise<{ exitCode: number; stdout: string }>, unknown[]>();
jest.mock('execa', () => ({ execa }));
const octokits: { options: unknown; request: jest.Mock }[] = [];
jest.mock('@octokit/core', () => ({
  Octokit: class {
    readonly request = jest.fn(() => Promise.resolve({ status: 200, data: 'answer' }));
    constructor(options: unknown) {
      octokits.push({ options, request: this.request });
    }
  },
}));
const terminal = { question: jest.fn<Promise<string>, [string]>(), close: jest.fn() };
const createInterface = jest.fn(() => terminal);
jest.mock('node:readline/promises', () => ({ createInterface }));

const written = { stdout: [] as string[], stderr: [] as string[] };
const savedEnv = { ...process.env };
const savedTty = [process.stdin, process.stderr].map(
  (stream) => [stream, Object.getOwnPropertyDescriptor(stream, 'isTTY')] as const,
);

beforeEach(() => {
  run.mockReset();
  execa.mockReset();
  terminal.question.mockReset();
  terminal.close.mockReset();
  octokits.splice(0);
  written.stdout = [];
  written.stderr = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.stdout.push(String(chunk));
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    if (!String(chunk).startsWith('(node:')) written.stderr.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = undefined;
  process.env = { ...savedEnv };
  for (const [stream, descriptor] of savedTty) {
    if (descriptor) Object.defineProperty(stream, 'isTTY', descriptor);
    else delete (stream as { isTTY?: boolean }).isTTY;
  }
});

/** Loads the entry file once, as starting the process does, and waits for run() to settle. */
async function start(outcome: Promise<unknown> = Promise.resolve(undefined), argv: string[] = []) {
  return startEntry(
    run,
    { script: 'scripts/bootstrap.mjs', load: () => import('../../bootstrap/src/index') },
    outcome,
    argv,
  );
}

/** The terminal the process runs on (own properties on the streams, removed after the test). */
function tty(stdin: boolean, stderr: boolean): void {
  Object.defineProperty(process.stdin, 'isTTY', { value: stdin, configurable: true });
  Object.defineProperty(process.stderr, 'isTTY', { value: stderr, configurable: true });
}

it('hands run() the arguments after the script, and writes each line with its line break', async () => {
  const deps = await start(undefined, ['--repo', 'octo/pipe', '--environment', 'qa']);
  expect(deps.argv).toEqual(['--repo', 'octo/pipe', '--environment', 'qa']);
  deps.print('{"changed":false}');
  deps.log('Plan for stack x');
  expect(written.stdout).toEqual(['{"changed":false}\n']);
  expect(written.stderr).toEqual(['Plan for stack x\n']);
});

it.each([
  [true, true, true],
  [true, false, false],
  [false, true, false],
])('asks only on a terminal (stdin %s, stderr %s: %s)', async (stdin, stderr, interactive) => {
  tty(stdin, stderr);
  const deps = await start();
  expect(deps.interactive).toBe(interactive);
});

it('reads the template from the repository it is run in', async () => {
  const root = mkdtempSync(join(tmpdir(), 'bootstrap-root-'));
  mkdirSync(join(root, 'cloudformation'));
  writeFileSync(join(root, 'cloudformation', 'bootstrap-oidc.json'), '{"Resources":{}}');
  process.env.BOOTSTRAP_REPO_ROOT = root;
  const deps = await start();
  expect(deps.template).toBe('{"Resources":{}}');
});

it('takes the region of the SDK chain, and makes clients for the region given', async () => {
  process.env.AWS_REGION = 'eu-west-3';
  delete process.env.AWS_MAX_ATTEMPTS;
  const deps = await start();
  expect(await deps.defaultRegion()).toBe('eu-west-3');
  const clients = deps.aws('ap-south-1');
  expect(await clients.cloudformation.config.region()).toBe('ap-south-1');
  expect(await clients.iam.config.region()).toBe('ap-south-1');
  expect(await clients.sts.config.region()).toBe('ap-south-1');
  expect(await clients.cloudformation.config.maxAttempts()).toBe(10);
});

it('uses GITHUB_TOKEN when set, without asking the GitHub CLI', async () => {
  process.env.GITHUB_TOKEN = 'ghp_fromEnv';
  const deps = await start();
  expect(await deps.githubToken()).toBe('ghp_fromEnv');
  expect(execa).not.toHaveBeenCalled();
});

it.each([
  [0, ' gho_fromCli \n', 'gho_fromCli'],
  [0, '  \n', undefined],
  [1, 'gho_stale', undefined],
])('otherwise asks the GitHub CLI (exit %i, %j: %s)', async (exitCode, stdout, token) => {
  delete process.env.GITHUB_TOKEN;
  execa.mockResolvedValue({ exitCode, stdout });
  const deps = await start();
  expect(await deps.githubToken()).toBe(token);
  expect(execa).toHaveBeenCalledWith('gh', ['auth', 'token'], { reject: false });
});

it.each([
  [' y ', true],
  ['YES', true],
  ['yes', true],
  ['', false],
  ['n', false],
  ['ye', false],
  ['yess', false],
  ['ay', false],
])('takes %j at the prompt as %s, and lets the terminal go', async (answer, approved) => {
  terminal.question.mockResolvedValue(answer);
  const deps = await start();
  expect(await deps.confirm('Execute? [y/N] ')).toBe(approved);
  expect(terminal.question).toHaveBeenCalledWith('Execute? [y/N] ');
  expect(createInterface).toHaveBeenCalledWith({ input: process.stdin, output: process.stderr });
  expect(terminal.close).toHaveBeenCalledTimes(1);
});

it('calls GitHub with the token, at GITHUB_API_URL or else api.github.com', async () => {
  process.env.GITHUB_API_URL = 'http://127.0.0.1:9999';
  const deps = await start();
  const answer = await deps.github('ghp_x')('GET /users/{username}', { username: 'alice' });
  delete process.env.GITHUB_API_URL;
  deps.github('ghp_y');
  expect(answer).toEqual({ status: 200, data: 'answer' });
  expect(octokits[0]?.request).toHaveBeenCalledWith('GET /users/{username}', { username: 'alice' });
  expect(octokits.map((octokit) => octokit.options)).toEqual([
    {
      auth: 'ghp_x',
      baseUrl: 'http://127.0.0.1:9999',
      userAgent: 'anomaly-detection-pipeline bootstrap',
    },
    {
      auth: 'ghp_y',
      baseUrl: 'https://api.github.com',
      userAgent: 'anomaly-detection-pipeline bootstrap',
    },
  ]);
});

it('exits 0 when run() succeeds', async () => {
  await start(Promise.resolve(undefined));
  expect(process.exitCode).toBe(0);
  expect(written.stderr).toEqual([]);
});

it('exits 1 with the failure explained on stderr when run() throws', async () => {
  // The entry file loads its own copy of the error classes (jest.isolateModules): a plain error.
  await start(Promise.reject(new RangeError('boom')));
  expect(process.exitCode).toBe(1);
  expect(written.stderr).toEqual(['bootstrap: Unexpected failure: RangeError: boom\n']);
});
