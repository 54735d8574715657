import {
  BatchWriteItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { chunk } from './batching';
import type { AnomalyKind } from './classify';
import type { Reading } from './reading';

/** An anomaly found in the batch, with where it came from (for checkpointing). */
export interface Anomaly extends Reading {
  readonly kind: AnomalyKind;
  readonly sequenceNumber: string;
  /** Position of its first record in the batch. */
  readonly index: number;
}

export type Sleep = (ms: number) => Promise<void>;

const BATCH_WRITE_LIMIT = 25;
/** Attempts at the part of a batch DynamoDB leaves unprocessed, beyond the SDK's own retries. */
const UNPROCESSED_ATTEMPTS = 5;
const UNPROCESSED_BASE_DELAY_MS = 50;

export const anomalyKey = (reading: Reading): string =>
  `${reading.deviceId}\u0000${reading.timestamp}`;

/** The table item for an anomaly: a function of the reading alone. */
export function anomalyItem(anomaly: Anomaly): Record<string, AttributeValue> {
  return {
    deviceId: { S: anomaly.deviceId },
    timestamp: { S: anomaly.timestamp },
    temperature: { N: String(Math.round(anomaly.temperatureF * 100) / 100) },
    anomaly: { S: anomaly.kind },
    unit: { S: anomaly.unit },
    sequenceNumber: { S: anomaly.sequenceNumber },
  };
}

export interface StoreResult {
  readonly failed: readonly Anomaly[];
}

/** The anomaly table's reading items, written in batches (the same reading, the same item). */
export class AnomalyStore {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly tableName: string,
    private readonly sleep: Sleep,
  ) {}

  /** Writes the anomalies; what could not be written is returned as failed. */
  async put(anomalies: readonly Anomaly[]): Promise<StoreResult> {
    const results = await Promise.all(
      chunk(anomalies, BATCH_WRITE_LIMIT).map((part) => this.putChunk(part)),
    );
    return { failed: results.flat() };
  }

  private async putChunk(anomalies: Anomaly[]): Promise<Anomaly[]> {
    const byKey = new Map(anomalies.map((anomaly) => [anomalyKey(anomaly), anomaly]));
    let pending: WriteRequest[] = anomalies.map((anomaly) => ({
      PutRequest: { Item: anomalyItem(anomaly) },
    }));
    try {
      // A chunk is never empty: the loop ends when DynamoDB has processed all of it, or gives up.
      for (let attempt = 1; ; attempt += 1) {
        const response = await this.dynamo.send(
          new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = response.UnprocessedItems?.[this.tableName] ?? [];
        if (pending.length === 0) return [];
        if (attempt >= UNPROCESSED_ATTEMPTS) {
          return pending.flatMap((request) => {
            const item = request.PutRequest?.Item;
            const anomaly = byKey.get(
              `${item?.deviceId?.S ?? ''}\u0000${item?.timestamp?.S ?? ''}`,
            );
            return anomaly ? [anomaly] : [];
          });
        }
        await this.backOff(attempt);
      }
    } catch {
      // Throttling or a 5xx that outlasted the SDK's retries: nothing of this chunk is known
      // to be written, so all of it is reported failed and redelivered.
      return anomalies;
    }
  }

  /** Full-jitter exponential backoff between attempts at what DynamoDB left unprocessed. */
  private backOff(attempt: number): Promise<void> {
    const ceiling = UNPROCESSED_BASE_DELAY_MS * 2 ** (attempt - 1);
    return this.sleep(Math.random() * ceiling);
  }
}
