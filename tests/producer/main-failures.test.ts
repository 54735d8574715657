import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { run } from '../../producer/src/main';
import { acceptEveryRecord, harness, kinesisMock, summaryOf } from './main-harness';

// The CLI when something fails: a send retried after a backoff, exit 1 on an error no retry can
// fix, an unexpected failure let through (flags, pacing and the rest: main.test.ts).
acceptEveryRecord();

describe('producer CLI', () => {
  it('retries a failed call after a backoff, warning on stderr', async () => {
    kinesisMock
      .on(PutRecordsCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1' }] });
    const h = harness(['--count', '1', '--rate', '0']);

    const code = await run(h.deps);

    expect(code).toBe(0);
    expect(h.stderr).toContain(
      'producer: PutRecords attempt 1 failed (ThrottlingException: Rate exceeded); retrying 1 records',
    );
    // Full jitter: random() 0.5 of the first ceiling, 100 ms.
    expect(h.sleeps).toEqual([{ ms: 50, stoppable: false }]);
    expect(summaryOf(h)).toMatchObject({ sent: 1, putRecordsCalls: 2, retriedRecords: 1 });
  });

  it('exits 1 on an error no retry can fix, saying why, with the summary last', async () => {
    kinesisMock.on(PutRecordsCommand).rejects(
      Object.assign(new Error('Stream raw under account 1 not found.'), {
        name: 'ResourceNotFoundException',
      }),
    );
    const h = harness(['--count', '1', '--rate', '0', '--stream', 'raw']);

    const code = await run(h.deps);

    expect(code).toBe(1);
    expect(h.stderr.at(-1)).toBe(
      'producer: PutRecords to stream "raw" failed: ResourceNotFoundException: Stream raw under account 1 not found.',
    );
    expect(summaryOf(h)).toMatchObject({
      sent: 0,
      putRecordsCalls: 1,
      durationMs: 0,
      stoppedBy: 'error',
    });
  });

  it('lets an unexpected failure through to the entry file', async () => {
    const h = harness(['--count', '1', '--rate', '0', '--status-file', '/readonly/status']);
    h.deps = { ...h.deps, writeStatus: () => Promise.reject(new Error('EROFS')) };

    await expect(run(h.deps)).rejects.toThrow('EROFS');
  });
});
