import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createAct } from '../../lambda/src/act';
import { STATE_SORT_KEY, type Outbox } from '../../lambda/src/device-state';
import type { ExcursionEvent } from '../../lambda/src/excursion';
import { NOTHING_TAKEN, releaseOutboxes, takeWaiting } from '../../lambda/src/outbox-release';
import { mockedDeps } from './mocked-detector';

// Taking over outboxes that wait for a slot, and letting go after sending: what DynamoDB is
// read and written, and which outboxes and waiting keys the invocation ends up holding.
const dynamoMock = mockClient(DynamoDBClient);

const NOW = Date.UTC(2026, 10, 21, 10, 5);
const opened: ExcursionEvent = {
  type: 'opened',
  excursion: {
    kind: 'COLD',
    startedAt: '2026-11-21T10:00:00.000Z',
    firstF: 94,
    peakF: 94,
    count: 1,
    lastAnomalyAt: '2026-11-21T10:00:00.000Z',
    notifiedAt: '2026-11-21T10:00:00.000Z',
  },
};

/** The state items DynamoDB holds, by device. */
let stored: Map<string, Record<string, AttributeValue>>;

function store(deviceId: string, outbox?: Outbox) {
  stored.set(deviceId, {
    deviceId: { S: deviceId },
    timestamp: { S: STATE_SORT_KEY },
    version: { N: '3' },
    recentExcursions: { S: '[]' },
    ...(outbox ? { outbox: { S: JSON.stringify(outbox) } } : {}),
  });
}
const waitingOutbox = (leasedUntil = 0): Outbox => ({ events: [opened], version: 3, leasedUntil });

const act = () => createAct(mockedDeps({ log: () => undefined, now: () => NOW }));
const seen = (waiting: string[]) => ({ minute: 0, used: 0, waiting });
/** The devices whose states were read. */
const read = () =>
  dynamoMock
    .commandCalls(BatchGetItemCommand)
    .flatMap((call) => call.args[0].input.RequestItems?.anomalies?.Keys ?? [])
    .map((key) => key.deviceId?.S);
const puts = () => dynamoMock.commandCalls(PutItemCommand).map((call) => call.args[0].input);

beforeEach(() => {
  dynamoMock.reset();
  stored = new Map();
  dynamoMock
    .on(BatchGetItemCommand)
    .callsFake(
      (input: { RequestItems: Record<string, { Keys: Record<string, AttributeValue>[] }> }) => ({
        Responses: {
          anomalies: input.RequestItems.anomalies!.Keys.flatMap((key) => {
            const item = stored.get(key.deviceId?.S ?? '');
            return item ? [item] : [];
          }),
        },
      }),
    );
  dynamoMock.on(PutItemCommand).resolves({});
  dynamoMock.on(UpdateItemCommand).resolves({});
});

describe('taking over waiting outboxes', () => {
  it('takes one whose lease ends now, one version on, leased for two minutes from now', async () => {
    store('B', waitingOutbox(NOW));

    const taken = await takeWaiting(act(), seen(['3 B']), new Set());

    expect(taken.keys).toEqual(['3 B']);
    expect(taken.outboxes).toHaveLength(1);
    expect(taken.outboxes[0]).toMatchObject({
      state: { deviceId: 'B', version: 4, outbox: { leasedUntil: NOW + 120_000 } },
      events: [opened],
    });
    expect(puts()).toHaveLength(1);
    expect(JSON.parse(puts()[0]!.Item!.outbox!.S!)).toEqual({
      events: [opened],
      version: 4,
      leasedUntil: NOW + 120_000,
    });
  });

  it('leaves one another invocation holds, or takes first, and keeps waiting for both', async () => {
    store('C', waitingOutbox(NOW + 1));
    store('D', waitingOutbox());
    dynamoMock
      .on(PutItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'changed', $metadata: {} }));

    const taken = await takeWaiting(act(), seen(['3 C', '3 D']), new Set());

    expect(taken).toEqual({ outboxes: [], keys: [] });
    expect(puts().map((put) => put.Item?.deviceId?.S)).toEqual(['D']);
  });

  it('forgets the key of an outbox that is gone (published meanwhile), writing nothing', async () => {
    store('E');

    const taken = await takeWaiting(act(), seen(['3 E']), new Set());

    expect(taken).toEqual({ outboxes: [], keys: ['3 E'] });
    expect(puts()).toEqual([]);
  });

  it('leaves the outboxes of the batch’s own devices to their states', async () => {
    store('A', waitingOutbox());
    store('B', waitingOutbox());

    const taken = await takeWaiting(act(), seen(['3 A', '3 B']), new Set(['A']));

    expect(read()).toEqual(['B']);
    expect(taken.keys).toEqual(['3 B']);
    expect(taken.outboxes.map(({ state }) => state.deviceId)).toEqual(['B']);
  });

  it('reads and takes nothing when only the batch’s own devices wait', async () => {
    store('A', waitingOutbox());

    const taken = await takeWaiting(act(), seen(['3 A']), new Set(['A']));

    expect(taken).toEqual({ outboxes: [], keys: [] });
    expect(read()).toEqual([]);
  });

  it('takes 500 at most in one invocation, the first ones waiting', async () => {
    const ids = Array.from({ length: 501 }, (_, i) => `W${String(i).padStart(3, '0')}`);
    for (const id of ids) store(id, waitingOutbox());

    const taken = await takeWaiting(act(), seen(ids.map((id) => `3 ${id}`)), new Set());

    expect(taken.keys).toHaveLength(500);
    expect(taken.keys).not.toContain('3 W500');
    expect(read()).not.toContain('W500');
  });
});

describe('letting go after sending', () => {
  it('forgets no waiting key when it took none', async () => {
    const none = new Set<string>();
    const sent = { published: none, failed: none, deferred: none, sent: 0 };

    await releaseOutboxes(act(), [], sent, NOTHING_TAKEN);

    expect(dynamoMock.commandCalls(UpdateItemCommand)).toEqual([]);
  });

  it('writes nothing for a state written with nothing to say (no outbox)', async () => {
    const none = new Set<string>();
    const sent = { published: none, failed: none, deferred: none, sent: 0 };
    const quiet = {
      state: {
        deviceId: 'Q',
        version: 4,
        lastSequenceNumber: '9',
        open: undefined,
        recent: [],
        outbox: undefined,
      },
      events: [],
    };

    await releaseOutboxes(act(), [quiet], sent, NOTHING_TAKEN);

    expect(puts()).toEqual([]);
    expect(dynamoMock.commandCalls(UpdateItemCommand)).toEqual([]);
  });
});
