import type { _Record } from '@aws-sdk/client-kinesis';
import { redeliverFrom } from '../../../local-pipeline/lambda/batch-response';

/** The poller resumes a batch where Lambda would after the handler's batch response. */

const records: _Record[] = ['101', '102', '103', '104'].map((SequenceNumber) => ({
  SequenceNumber,
  PartitionKey: 'p',
  Data: new Uint8Array(),
}));
const failed = (...ids: unknown[]) => ({
  batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })),
});

describe('where the mapping resumes after a batch response', () => {
  it('at the lowest failed sequence number, whatever order the failures are listed in', () => {
    // Resuming at the first listed (103) would silently skip 102.
    expect(redeliverFrom(records, failed('103', '102'))).toBe('102');
    expect(redeliverFrom(records, failed('104'))).toBe('104');
  });

  it.each([
    ['no answer', undefined],
    ['a null answer', null],
    ['an empty answer', {}],
    ['a null list', { batchItemFailures: null }],
    ['an empty list', { batchItemFailures: [] }],
  ])('nowhere after %s: the batch is complete', (_, response) => {
    expect(redeliverFrom(records, response)).toBeUndefined();
  });

  it.each([
    ['an empty identifier', failed('')],
    ['a null identifier', failed(null)],
    ['a numeric identifier', failed(102)],
    ['an identifier not in the batch', failed('999')],
    ['a misspelt key', { batchItemFailures: [{ itemIdentifer: '102' }] }],
    ['a list that is not a list', { batchItemFailures: '102' }],
    ['an answer that is not an object', 'done'],
  ])('at the start of the batch after %s: the whole batch failed', (_, response) => {
    expect(redeliverFrom(records, response)).toBe('101');
  });
});
