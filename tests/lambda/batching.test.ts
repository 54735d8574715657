import { chunk } from '../../lambda/src/batching';

describe('chunking requests (25 items a BatchWriteItem, 100 keys a BatchGetItem)', () => {
  it.each([
    [
      [1, 2, 3, 4],
      2,
      [
        [1, 2],
        [3, 4],
      ],
    ],
    [[1, 2, 3], 2, [[1, 2], [3]]],
    [[1], 25, [[1]]],
    [[], 25, []],
  ])('splits %j into groups of at most %d: %j', (items, size, groups) => {
    expect(chunk(items, size)).toEqual(groups);
  });
});
