import type { ProducerDeps } from '../../producer/src/main';
import { startEntry } from '../support/entry';

// The entry file as `node producer/dist/index.js` runs it: what it hands run() from the process,
// and the exit code and stderr line the user sees for each outcome. run() is replaced; the
// producer itself is tested through it in main.test.ts and as a built bundle in the .int tests.
const run = jest.fn<Promise<number>, [ProducerDeps]>();
jest.mock('../../producer/src/main', () => ({
  ...jest.requireActual<typeof import('../../producer/src/main')>('../../producer/src/main'),
  run,
}));

const written = { stdout: [] as string[], stderr: [] as string[] };

beforeEach(() => {
  run.mockReset();
  written.stdout = [];
  written.stderr = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.stdout.push(String(chunk));
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    // Node's own warnings (the AWS SDK's about Node 20) are not the producer's output.
    if (!String(chunk).startsWith('(node:')) written.stderr.push(String(chunk));
    return true;
  });
  // The entry file listens for signals on the real process; the tests must not leave it so.
  jest.spyOn(process, 'once').mockImplementation(() => process);
});

afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = undefined;
});

/** Loads the entry file once, as starting the process does, and waits for run() to settle. */
async function start(outcome: Promise<number>, argv: string[] = []): Promise<ProducerDeps> {
  return startEntry(
    run,
    { script: 'producer/dist/index.js', load: () => import('../../producer/src/index') },
    outcome,
    argv,
  );
}

it('hands run() the arguments after the script and the process environment', async () => {
  const deps = await start(Promise.resolve(0), ['--stream-name', 'readings', '--rate', '2']);
  expect(deps.argv).toEqual(['--stream-name', 'readings', '--rate', '2']);
  expect(deps.env).toBe(process.env);
  expect(deps.stop.aborted).toBe(false);
  expect(deps.random).toBe(Math.random);
});

it('writes each stdout and stderr line with its line break', async () => {
  const deps = await start(Promise.resolve(0));
  deps.stdout('{"sent":1}');
  deps.stderr('producer: throttled');
  expect(written.stdout).toEqual(['{"sent":1}\n']);
  expect(written.stderr).toEqual(['producer: throttled\n']);
});

it('talks HTTP/1.1 to Kinesis (the client would otherwise open HTTP/2 sessions)', async () => {
  const deps = await start(Promise.resolve(0));
  // By name: the entry file loads its own copy of the module (jest.isolateModules).
  expect(deps.kinesis.config.requestHandler.constructor.name).toBe('NodeHttpHandler');
});

it('reads the wall clock', async () => {
  const deps = await start(Promise.resolve(0));
  const before = Date.now();
  const now = deps.now();
  expect(now).toBeGreaterThanOrEqual(before);
  expect(now).toBeLessThanOrEqual(Date.now());
});

it('listens for SIGTERM and SIGINT', async () => {
  await start(Promise.resolve(0));
  const signals = jest.mocked(process.once).mock.calls.map(([signal]) => signal);
  expect(signals).toEqual(['SIGTERM', 'SIGINT']);
});

it.each([0, 1, 2])('exits with the code run() gives (%i)', async (code) => {
  await start(Promise.resolve(code));
  expect(process.exitCode).toBe(code);
  expect(written.stderr).toEqual([]);
});

it('exits 1 with the failure on stderr when run() throws', async () => {
  const error = new Error('socket hang up');
  await start(Promise.reject(error));
  expect(process.exitCode).toBe(1);
  expect(written.stderr).toEqual([`producer: unexpected failure: ${error.stack}\n`]);
});
