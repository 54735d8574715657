import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An in-process stand-in for Kinesis' PutRecord and PutRecords (JSON 1.1 protocol, as the SDK
 * sends them) that answers at once, so a benchmark measures the client, not the emulator. Like
 * Kinesis it refuses more than 500 records a call, and it throttles a fixed share of records:
 * PutRecords answers 200 with those entries marked `ProvisionedThroughputExceededException`
 * (a partial failure the caller must re-send), PutRecord answers 400 with that error (which the
 * SDK retries). It counts the bytes both ways on every connection (the wire cost).
 */
export interface KinesisStub {
  readonly endpoint: string;
  /** Records accepted (acknowledged) so far. */
  readonly accepted: number;
  readonly calls: number;
  readonly throttled: number;
  /** Bytes received and sent on all connections so far (HTTP headers and bodies). */
  wireBytes(): number;
  stop(): Promise<void>;
}

const THROTTLED = 'ProvisionedThroughputExceededException';
const throttleMessage = (stream: string) =>
  `Rate exceeded for shard shardId-000000000000 in stream ${stream} under account 123456789012.`;

interface PutRecordsEntry {
  readonly Data?: string;
  readonly PartitionKey?: string;
}

/** `throttleEvery`: every n-th record the stub sees is throttled (0: none). */
export async function startKinesisStub(throttleEvery: number): Promise<KinesisStub> {
  let sequence = 49_000_000_000_000_000n;
  let seen = 0;
  const counts = { accepted: 0, calls: 0, throttled: 0, closedBytes: 0 };
  const sockets = new Set<Socket>();
  const throttleNext = () => {
    seen += 1;
    if (throttleEvery > 0 && seen % throttleEvery === 0) {
      counts.throttled += 1;
      return true;
    }
    counts.accepted += 1;
    return false;
  };
  const nextSequence = () => {
    sequence += 1n;
    return sequence.toString();
  };

  const answer = (target: string, body: Record<string, unknown>): [number, unknown] => {
    const stream = typeof body.StreamName === 'string' ? body.StreamName : '';
    if (!stream) return [400, { __type: 'ValidationException', message: 'StreamName is required' }];
    if (target === 'Kinesis_20131202.PutRecord') {
      if (throttleNext()) return [400, { __type: THROTTLED, message: throttleMessage(stream) }];
      return [200, { SequenceNumber: nextSequence(), ShardId: 'shardId-000000000000' }];
    }
    if (target === 'Kinesis_20131202.PutRecords') {
      const records = Array.isArray(body.Records) ? (body.Records as PutRecordsEntry[]) : [];
      if (records.length === 0 || records.length > 500)
        return [
          400,
          { __type: 'ValidationException', message: `${records.length} records: 1 to 500 a call` },
        ];
      const results = records.map(() =>
        throttleNext()
          ? { ErrorCode: THROTTLED, ErrorMessage: throttleMessage(stream) }
          : { SequenceNumber: nextSequence(), ShardId: 'shardId-000000000000' },
      );
      const failed = results.filter((result) => 'ErrorCode' in result).length;
      return [200, { FailedRecordCount: failed, Records: results, EncryptionType: 'KMS' }];
    }
    return [400, { __type: 'UnknownOperationException', message: `${target} is not stubbed` }];
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      counts.calls += 1;
      const [status, payload] = answer(
        String(request.headers['x-amz-target'] ?? ''),
        JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
      );
      const text = JSON.stringify(payload);
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': `bench-${counts.calls}`,
      });
      response.end(text);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      counts.closedBytes += socket.bytesRead + socket.bytesWritten;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get accepted() {
      return counts.accepted;
    },
    get calls() {
      return counts.calls;
    },
    get throttled() {
      return counts.throttled;
    },
    wireBytes: () =>
      counts.closedBytes +
      [...sockets].reduce((total, socket) => total + socket.bytesRead + socket.bytesWritten, 0),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
