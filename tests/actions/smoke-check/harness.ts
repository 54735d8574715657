import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { run } from '../../../actions/smoke-check/src/main';
import { fakeIO } from '../../support/fake-io';

export const kinesis = mockClient(KinesisClient);
export const dynamo = mockClient(DynamoDBClient);
export const START = Date.UTC(2026, 11, 5, 16, 0, 0);

/** A clock that moves only when the action sleeps: waits are counted, never real. */
export function fakeClock() {
  let now = START;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

/** Runs the action on the staging stream and table (plus `inputs`), as run 77 of the workflow. */
export async function check(
  inputs: Record<string, string> = {},
  env: Record<string, string> = { GITHUB_RUN_ID: '77' },
) {
  const io = fakeIO({
    'stream-name': 'readings-staging',
    'table-name': 'anomalies-staging',
    ...inputs,
  });
  const clock = fakeClock();
  await run({
    io,
    kinesis: new KinesisClient({}),
    dynamodb: new DynamoDBClient({}),
    clock,
    env,
  });
  return { io, clock };
}

/** Fresh mocks before each test: Kinesis takes the reading as sequence 4900. */
export function resetClients(): void {
  kinesis.reset();
  dynamo.reset();
  kinesis.on(PutRecordCommand).resolves({ SequenceNumber: '4900', ShardId: 'shardId-0' });
}
