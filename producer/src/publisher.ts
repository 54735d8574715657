import {
  PutRecordsCommand,
  type KinesisClient,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';

/** Kinesis PutRecords limits: 500 records and 5 MiB a call (data and partition keys), 1 MiB a record. */
export const PUT_RECORDS_MAX_RECORDS = 500;
export const PUT_RECORDS_MAX_BYTES = 5 * 1024 * 1024;
export const RECORD_MAX_BYTES = 1024 * 1024;

export interface PublisherStats {
  /** Records Kinesis acknowledged. */
  sent: number;
  putRecordsCalls: number;
  /** Records re-sent because a response marked them failed (each re-send counted). */
  retriedRecords: number;
  lastAcknowledgedAt: number | undefined;
}

/** The stats as they are once a batch has been acknowledged. */
export type AcknowledgedStats = PublisherStats & { lastAcknowledgedAt: number };

export interface PublisherOptions {
  /** Most records held before `add` waits for a send to finish (back-pressure). */
  readonly maxBufferedRecords: number;
  /** Oldest a held record may get before it is sent, when traffic is light. */
  readonly maxBatchDelayMs: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Called after every acknowledged batch. */
  readonly onAcknowledged?: (stats: Readonly<AcknowledgedStats>) => void | Promise<void>;
  readonly warn: (message: string) => void;
  /**
   * At most one record of a partition key in a call. Kinesis takes or fails each record of a
   * call on its own, so a key's later record could be taken while an earlier one fails and is
   * re-sent after it; with one record a key a call, and the next call only once every record of
   * this one is taken, each key's records reach the stream in order.
   */
  readonly oneRecordPerKey?: boolean;
}

/** An error no retry can fix: the stream does not exist, access is denied, the request is invalid. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
}

const PERMANENT_ERRORS = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'ValidationException',
  'InvalidArgumentException',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSNotFoundException',
  'KMSInvalidStateException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
]);

/**
 * Buffers records and sends them with PutRecords within Kinesis' limits. Records a response
 * marks failed are re-sent (alone) with capped exponential backoff and full jitter until
 * Kinesis takes them, so nothing is lost. `add` waits while a full buffer is being sent, so a
 * slow stream slows the producer instead of growing memory.
 */
export class KinesisPublisher {
  readonly stats: PublisherStats = {
    sent: 0,
    putRecordsCalls: 0,
    retriedRecords: 0,
    lastAcknowledgedAt: undefined,
  };
  private buffer: PutRecordsRequestEntry[] = [];
  private bufferedBytes = 0;
  private oldestBufferedAt = 0;
  private readonly heldKeys = new Set<string>();

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    private readonly options: PublisherOptions,
  ) {}

  /** Holds one record; sends a batch when one is full or the oldest held record is due. */
  async add(data: Uint8Array, partitionKey: string): Promise<void> {
    const size = data.byteLength + Buffer.byteLength(partitionKey);
    if (size > RECORD_MAX_BYTES)
      throw new PublishError(`a record of ${size} bytes exceeds Kinesis' 1 MiB limit`);
    // A record is at most 1 MiB, so this never fires for an empty buffer.
    if (
      this.bufferedBytes + size > PUT_RECORDS_MAX_BYTES ||
      (this.options.oneRecordPerKey === true && this.heldKeys.has(partitionKey))
    ) {
      await this.sendHeld();
    }
    if (this.buffer.length === 0) this.oldestBufferedAt = this.options.now();
    this.buffer.push({ Data: data, PartitionKey: partitionKey });
    if (this.options.oneRecordPerKey === true) this.heldKeys.add(partitionKey);
    this.bufferedBytes += size;
    if (
      this.buffer.length >= Math.min(PUT_RECORDS_MAX_RECORDS, this.options.maxBufferedRecords) ||
      this.isDue()
    ) {
      await this.sendHeld();
    }
  }

  /** True when the oldest held record has waited its maximum. */
  isDue(): boolean {
    return (
      this.buffer.length > 0 &&
      this.options.now() - this.oldestBufferedAt >= this.options.maxBatchDelayMs
    );
  }

  get held(): number {
    return this.buffer.length;
  }

  /** Sends everything held, retrying failures until Kinesis takes it all. */
  async flush(): Promise<void> {
    while (this.buffer.length > 0) await this.sendHeld();
  }

  /** Sends the whole buffer: `add` sends it before it holds more than one PutRecords call takes. */
  private async sendHeld(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    this.bufferedBytes = 0;
    this.heldKeys.clear();
    await this.sendUntilAcknowledged(batch);
  }

  private async sendUntilAcknowledged(batch: PutRecordsRequestEntry[]): Promise<void> {
    let pending = batch;
    for (let attempt = 1; ; attempt += 1) {
      const failed = await this.putRecords(pending, attempt);
      const acknowledged = pending.length - failed.length;
      if (acknowledged > 0) {
        const acknowledgedAt = this.options.now();
        this.stats.sent += acknowledged;
        this.stats.lastAcknowledgedAt = acknowledgedAt;
        await this.options.onAcknowledged?.({ ...this.stats, lastAcknowledgedAt: acknowledgedAt });
      }
      if (failed.length === 0) return;
      this.stats.retriedRecords += failed.length;
      await this.options.sleep(this.backoff(attempt));
      pending = failed;
    }
  }

  /** One PutRecords call; returns the entries to send again (all of them if the call failed transiently). */
  private async putRecords(
    entries: PutRecordsRequestEntry[],
    attempt: number,
  ): Promise<PutRecordsRequestEntry[]> {
    this.stats.putRecordsCalls += 1;
    try {
      const response = await this.kinesis.send(
        new PutRecordsCommand({ StreamName: this.streamName, Records: entries }),
      );
      return entries.filter((_, i) => response.Records?.[i]?.ErrorCode !== undefined);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      if (PERMANENT_ERRORS.has(name)) {
        throw new PublishError(
          `PutRecords to stream "${this.streamName}" failed: ${name}: ${message}`,
        );
      }
      this.options.warn(
        `PutRecords attempt ${attempt} failed (${name}: ${message}); retrying ${entries.length} records`,
      );
      return entries;
    }
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(
      this.options.backoffCapMs,
      this.options.backoffBaseMs * 2 ** (attempt - 1),
    );
    return this.options.random() * ceiling;
  }
}
