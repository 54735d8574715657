import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import type { ProducerDeps } from '../../producer/src/main';

// The CLI as a user runs it (flags, environment, exit code, stdout and stderr), with Kinesis
// mocked and a fake clock: sleeping moves the clock, so pacing is visible in the timestamps.
// Shared by main.test.ts and main-failures.test.ts (each test file has its own module copy).
export const kinesisMock = mockClient(KinesisClient);
const START = Date.UTC(2026, 10, 21, 10);

interface Harness {
  deps: ProducerDeps;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly sleeps: { ms: number; stoppable: boolean }[];
  readonly statusWrites: { path: string; content: string }[];
  readonly stop: AbortController;
  clock: number;
}

export function harness(argv: string[], env: Record<string, string> = {}): Harness {
  const stop = new AbortController();
  const h: Harness = {
    stdout: [],
    stderr: [],
    sleeps: [],
    statusWrites: [],
    stop,
    clock: START,
    deps: undefined as unknown as ProducerDeps,
  };
  h.deps = {
    argv,
    env,
    kinesis: new KinesisClient({ region: 'us-east-1' }),
    stdout: (line) => h.stdout.push(line),
    stderr: (line) => h.stderr.push(line),
    now: () => h.clock,
    sleep: (ms, signal) => {
      h.sleeps.push({ ms, stoppable: signal !== undefined });
      h.clock += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    stop: stop.signal,
    writeStatus: (path, content) => {
      h.statusWrites.push({ path, content });
      return Promise.resolve();
    },
  };
  return h;
}

export const summaryOf = (h: Harness) =>
  JSON.parse(h.stdout.at(-1) ?? '{}') as Record<string, unknown>;

/** Before each test: Kinesis accepts every record of every call. */
export function acceptEveryRecord(): void {
  beforeEach(() => {
    kinesisMock.reset();
    kinesisMock.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => ({
      FailedRecordCount: 0,
      Records: input.Records.map(() => ({ SequenceNumber: '1', ShardId: 'shardId-0' })),
    }));
  });
}
