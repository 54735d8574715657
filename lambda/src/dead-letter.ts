import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { packBatches } from './batching';

/** A record that can never succeed, and what to tell whoever looks at the queue. */
export interface DeadLetter {
  readonly index: number;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly eventSourceArn: string | undefined;
  readonly reason: string;
  /** The record's data exactly as Kinesis delivered it (base64). */
  readonly data: string;
}

/** SendMessageBatch: 10 entries and 256 KiB a call. */
const SEND_BATCH_LIMITS = { entries: 10, bytes: 240 * 1024 };
/** Raw data kept in a message; a larger (oversized) record is cut, and says so. */
const MAX_DATA_CHARS = 16 * 1024;
/**
 * SQS refuses a message with U+FFFE or U+FFFF in it (its allowed set ends at U+FFFD), and a
 * Kinesis partition key may hold them: left raw, the dead letter could never be sent and the
 * shard would retry it forever. JSON.stringify escapes control characters and lone surrogates
 * already; these two are escaped the same way (the body parses back to the same text).
 */
const escapeForSqs = (json: string): string =>
  json.replace(/[\uFFFE\uFFFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);

export function deadLetterBody(letter: DeadLetter): string {
  const truncated = letter.data.length > MAX_DATA_CHARS;
  const body = JSON.stringify({
    sequenceNumber: letter.sequenceNumber,
    partitionKey: letter.partitionKey,
    eventSourceArn: letter.eventSourceArn,
    reason: letter.reason,
    data: truncated ? letter.data.slice(0, MAX_DATA_CHARS) : letter.data,
    ...(truncated ? { dataTruncated: true, dataBase64Length: letter.data.length } : {}),
  });
  return escapeForSqs(body);
}

/** Sends the dead letters in SendMessageBatch calls; returns those that did not reach the queue. */
export async function sendDeadLetters(
  sqs: SQSClient,
  queueUrl: string,
  letters: readonly DeadLetter[],
): Promise<DeadLetter[]> {
  const failed: DeadLetter[] = [];
  const withBodies = letters.map((letter) => ({ letter, body: deadLetterBody(letter) }));
  for (const batch of packBatches(
    withBodies,
    ({ body }) => Buffer.byteLength(body),
    SEND_BATCH_LIMITS,
  )) {
    const entries = batch.map(({ letter, body }) => ({
      Id: `record-${letter.index}`,
      MessageBody: body,
    }));
    try {
      const response = await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
      );
      const failedIds = new Set(response.Failed?.map((entry) => entry.Id));
      failed.push(
        ...batch
          .filter(({ letter }) => failedIds.has(`record-${letter.index}`))
          .map(({ letter }) => letter),
      );
    } catch {
      failed.push(...batch.map(({ letter }) => letter));
    }
  }
  return failed;
}
