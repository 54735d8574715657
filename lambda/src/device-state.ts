import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { chunk } from './batching';
import type { ClosedExcursion, ExcursionEvent, OpenExcursion } from './excursion';

/**
 * Each device's excursion state is one item of the anomaly table, beside its anomalies, under a
 * sort key no reading can have (readings' sort keys are ISO timestamps, which start with a digit).
 * Every write is conditional on the version read, so concurrent invocations cannot both act on
 * the same state. A message to send lives in the item's outbox, written with the state that
 * caused it, until SNS has accepted it: a crash at any point leaves either nothing done or an
 * outbox that a later invocation publishes.
 */
export const STATE_SORT_KEY = '#excursion-state';

export interface Outbox {
  readonly events: readonly ExcursionEvent[];
  /** The state version that wrote it: identifies the message. */
  readonly version: number;
  /** Until then (epoch ms) the invocation that wrote it may still be publishing it. */
  readonly leasedUntil: number;
}

export interface DeviceState {
  readonly deviceId: string;
  /** 0: no item yet. */
  readonly version: number;
  /** The last record whose reading is folded into this state (and stored, if anomalous). */
  readonly lastSequenceNumber: string | undefined;
  readonly open: OpenExcursion | undefined;
  readonly recent: readonly ClosedExcursion[];
  readonly outbox: Outbox | undefined;
}

const BATCH_GET_LIMIT = 100;
const UNPROCESSED_ATTEMPTS = 5;

const keyOf = (deviceId: string): Record<string, AttributeValue> => ({
  deviceId: { S: deviceId },
  timestamp: { S: STATE_SORT_KEY },
});

export const emptyState = (deviceId: string): DeviceState => ({
  deviceId,
  version: 0,
  lastSequenceNumber: undefined,
  open: undefined,
  recent: [],
  outbox: undefined,
});

/** The detector's own JSON attributes (it alone writes them). */
function parse(value: AttributeValue | undefined): unknown {
  return value?.S ? JSON.parse(value.S) : undefined;
}

export function stateFromItem(item: Record<string, AttributeValue>): DeviceState {
  const deviceId = item.deviceId?.S ?? '';
  return {
    deviceId,
    version: Number(item.version?.N ?? 0),
    lastSequenceNumber: item.lastSequenceNumber?.S,
    open: parse(item.openExcursion) as OpenExcursion | undefined,
    recent: (parse(item.recentExcursions) as ClosedExcursion[] | undefined) ?? [],
    outbox: parse(item.outbox) as Outbox | undefined,
  };
}

function itemFromState(state: DeviceState): Record<string, AttributeValue> {
  return {
    ...keyOf(state.deviceId),
    version: { N: String(state.version) },
    ...(state.lastSequenceNumber ? { lastSequenceNumber: { S: state.lastSequenceNumber } } : {}),
    ...(state.open ? { openExcursion: { S: JSON.stringify(state.open) } } : {}),
    recentExcursions: { S: JSON.stringify(state.recent) },
    ...(state.outbox ? { outbox: { S: JSON.stringify(state.outbox) } } : {}),
  };
}

/** Only the detector's readings have sort keys that start with a digit (ISO timestamps). */
export const isReadingItem = (item: Record<string, AttributeValue>): boolean =>
  /^\d/.test(item.timestamp?.S ?? '');

/** Whether DynamoDB refused a write because the item changed since it was read. */
export const isConflict = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

export class DeviceStateStore {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * Every device's state (strongly consistent); a device without an item gets the empty state.
   * `also`: other items of the table read in the same calls, handed to `onOther` when present.
   */
  async readAll(
    deviceIds: readonly string[],
    also: readonly Record<string, AttributeValue>[] = [],
    onOther: (item: Record<string, AttributeValue>) => void = () => undefined,
  ): Promise<Map<string, DeviceState>> {
    const states = new Map(deviceIds.map((id) => [id, emptyState(id)]));
    for (const part of chunk([...also, ...deviceIds.map(keyOf)], BATCH_GET_LIMIT)) {
      let keys = part;
      for (let attempt = 1; keys.length > 0; attempt += 1) {
        const response = await this.dynamo.send(
          new BatchGetItemCommand({
            RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } },
          }),
        );
        for (const item of response.Responses?.[this.tableName] ?? []) {
          if (item.timestamp?.S !== STATE_SORT_KEY) onOther(item);
          else states.set(item.deviceId?.S ?? '', stateFromItem(item));
        }
        keys = response.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (keys.length > 0 && attempt >= UNPROCESSED_ATTEMPTS) {
          throw new Error(`BatchGetItem left ${keys.length} keys unprocessed`);
        }
      }
    }
    return states;
  }

  /** Takes over an outbox no one holds: the next version holds it, leased until `leasedUntil`. */
  async takeOutbox(state: DeviceState, leasedUntil: number): Promise<DeviceState> {
    const version = state.version + 1;
    const outbox = state.outbox && { ...state.outbox, version, leasedUntil };
    const next = { ...state, version, outbox };
    await this.write(next, state.version);
    return next;
  }

  async read(deviceId: string): Promise<DeviceState> {
    const { Item } = await this.dynamo.send(
      new GetItemCommand({ TableName: this.tableName, Key: keyOf(deviceId), ConsistentRead: true }),
    );
    return Item ? stateFromItem(Item) : emptyState(deviceId);
  }

  /** Writes `next` if the item is still at `previousVersion`; throws a conflict otherwise. */
  async write(next: DeviceState, previousVersion: number): Promise<void> {
    await this.dynamo.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: itemFromState(next),
        ...(previousVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(deviceId)' }
          : {
              ConditionExpression: 'version = :previous',
              ExpressionAttributeValues: { ':previous': { N: String(previousVersion) } },
            }),
      }),
    );
  }

  /** Empties the outbox after SNS accepted its message (if no one has moved the state on). */
  async clearOutbox(deviceId: string, version: number): Promise<void> {
    await this.dynamo.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: keyOf(deviceId),
        UpdateExpression: 'REMOVE outbox',
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': { N: String(version) } },
      }),
    );
  }

  /** Hands the outbox over at once after a failed publish, so the redelivery need not wait. */
  async releaseOutbox(state: DeviceState): Promise<void> {
    if (!state.outbox) return;
    await this.write({ ...state, outbox: { ...state.outbox, leasedUntil: 0 } }, state.version);
  }
}
