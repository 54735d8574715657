import {
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { isConflict } from './device-state';

/**
 * The topic's message budget: at most `perMinute` messages a minute, shared by every concurrent
 * invocation through one item of the anomaly table, updated conditionally (no invocation can
 * take a slot another took). It also indexes the outboxes that wait for a slot, so that an
 * invocation with one publishes them even when their devices send nothing more.
 * Its sort key is no reading's (ISO timestamps start with a digit) and no device state's.
 */
export const BUDGET_KEY: Record<string, AttributeValue> = {
  deviceId: { S: '#alert-budget' },
  timestamp: { S: '#alert-budget' },
};

export interface BudgetSeen {
  /** Epoch minute the count is for. */
  readonly minute: number;
  readonly used: number;
  /** Outboxes waiting for a slot, as `waitingKey`s. */
  readonly waiting: readonly string[];
}

export const NO_BUDGET_USED: BudgetSeen = { minute: 0, used: 0, waiting: [] };

export const minuteOf = (epochMs: number): number => Math.floor(epochMs / 60_000);

/** An outbox waiting for a slot: the state version that holds it, then its device. */
export const waitingKey = (deviceId: string, version: number): string => `${version} ${deviceId}`;

export function deviceOfWaitingKey(key: string): string {
  return key.slice(key.indexOf(' ') + 1);
}

export function budgetFromItem(item: Record<string, AttributeValue> | undefined): BudgetSeen {
  if (!item) return NO_BUDGET_USED;
  return {
    minute: Number(item.slotMinute?.N ?? 0),
    used: Number(item.slotsUsed?.N ?? 0),
    waiting: item.waitingOutboxes?.SS ?? [],
  };
}

/** Slots still free in `minute`, as last seen. */
export function slotsLeft(seen: BudgetSeen, minute: number, perMinute: number): number {
  return seen.minute === minute ? Math.max(0, perMinute - seen.used) : perMinute;
}

export class AlertBudget {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly tableName: string,
    readonly perMinute: number,
  ) {}

  /**
   * Takes `count` slots of `minute` if that many are free; false when they are not. The
   * budget as last seen picks which of the two conditional writes to try first.
   */
  async claim(seen: BudgetSeen, minute: number, count: number): Promise<boolean> {
    const attempts = [() => this.addTo(minute, count), () => this.startMinute(minute, count)];
    if (seen.minute !== minute) attempts.reverse();
    for (const attempt of attempts) {
      try {
        await attempt();
        return true;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
    return false;
  }

  /** Indexes outboxes that wait for a slot (a set: adding one twice keeps one). */
  async addWaiting(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.update('ADD waitingOutboxes :keys', { ':keys': { SS: [...keys] } });
  }

  /** Forgets outboxes that are published or gone. */
  async removeWaiting(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.update('DELETE waitingOutboxes :keys', { ':keys': { SS: [...keys] } });
  }

  private addTo(minute: number, count: number): Promise<unknown> {
    return this.update(
      'SET slotsUsed = slotsUsed + :count',
      {
        ':count': { N: String(count) },
        ':minute': { N: String(minute) },
        ':room': { N: String(this.perMinute - count) },
      },
      'slotMinute = :minute AND slotsUsed <= :room',
    );
  }

  private startMinute(minute: number, count: number): Promise<unknown> {
    if (count > this.perMinute) throw new ConditionalRefusal();
    return this.update(
      'SET slotMinute = :minute, slotsUsed = :count',
      { ':count': { N: String(count) }, ':minute': { N: String(minute) } },
      'attribute_not_exists(slotMinute) OR slotMinute < :minute',
    );
  }

  private update(
    expression: string,
    values: Record<string, AttributeValue>,
    condition?: string,
  ): Promise<unknown> {
    return this.dynamo.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: BUDGET_KEY,
        UpdateExpression: expression,
        ExpressionAttributeValues: values,
        ...(condition ? { ConditionExpression: condition } : {}),
      }),
    );
  }
}

/** More slots than a minute has: refused without asking DynamoDB. */
class ConditionalRefusal extends Error {
  override readonly name = 'ConditionalCheckFailedException';
}
