import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One AWS request the detector made, with what AWS bills for it. */
export interface MeteredRequest {
  readonly service: string;
  readonly operation: string;
  /** DynamoDB write and read request units (items of ≤ 1 KB written, ≤ 4 KB read). */
  readonly writeUnits: number;
  readonly readUnits: number;
  /** SNS messages published (a PublishBatch bills each entry as a request). */
  readonly messages: number;
  /** When it arrived (epoch ms). */
  readonly at: number;
}

export interface RequestMeter {
  readonly endpoint: string;
  readonly requests: readonly MeteredRequest[];
  clear(): void;
  stop(): Promise<void>;
}

type Body = Record<string, unknown>;
const itemsOf = (value: unknown) => (Array.isArray(value) ? value.length : 0);
const tables = (value: unknown) => Object.values((value ?? {}) as Record<string, unknown>);

/** Request units of a DynamoDB call, by the on-demand pricing rules (small items). */
function dynamoUnits(operation: string, body: Body): { writeUnits: number; readUnits: number } {
  const read = (consistent: unknown) => (consistent === true ? 1 : 0.5);
  switch (operation) {
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return { writeUnits: 1, readUnits: 0 };
    case 'BatchWriteItem':
      return {
        writeUnits: tables(body.RequestItems).reduce<number>((n, t) => n + itemsOf(t), 0),
        readUnits: 0,
      };
    case 'TransactWriteItems':
      return { writeUnits: 2 * itemsOf(body.TransactItems), readUnits: 0 };
    case 'GetItem':
    case 'Query':
    case 'Scan':
      return { writeUnits: 0, readUnits: read(body.ConsistentRead) };
    case 'BatchGetItem':
      return {
        writeUnits: 0,
        readUnits: tables(body.RequestItems).reduce<number>((n, table) => {
          const { Keys, ConsistentRead } = table as { Keys?: unknown; ConsistentRead?: unknown };
          return n + itemsOf(Keys) * read(ConsistentRead);
        }, 0),
      };
    case 'TransactGetItems':
      return { writeUnits: 0, readUnits: 2 * itemsOf(body.TransactItems) };
    default:
      return { writeUnits: 0, readUnits: 0 };
  }
}

/** Service, operation and billing units of one request, from its headers and body. */
function meter(request: IncomingMessage, body: string): Omit<MeteredRequest, 'at'> {
  const scope = /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(request.headers.authorization ?? '');
  const service = scope?.[1] ?? 'unknown';
  const target = String(request.headers['x-amz-target'] ?? '');
  if (target) {
    const operation = target.split('.').pop() ?? target;
    const json = JSON.parse(body || '{}') as Body;
    const units =
      service === 'dynamodb' ? dynamoUnits(operation, json) : { writeUnits: 0, readUnits: 0 };
    return { service, operation, ...units, messages: 0 };
  }
  const form = new URLSearchParams(body);
  const operation = form.get('Action') ?? `${request.method ?? ''} ${request.url ?? ''}`;
  const entries = [...form.keys()].filter((key) =>
    /^PublishBatchRequestEntries\.member\.\d+\.Id$/.test(key),
  );
  const messages = operation === 'Publish' ? 1 : operation === 'PublishBatch' ? entries.length : 0;
  return { service, operation, writeUnits: 0, readUnits: 0, messages };
}

/** A loopback proxy in front of the emulator that records every request and what it bills. */
export async function startRequestMeter(upstream: string): Promise<RequestMeter> {
  const target = new URL(upstream);
  const requests: MeteredRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ ...meter(request, body.toString('utf8')), at: Date.now() });
      const forwarded = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      forwarded.on('error', (error) => {
        response.writeHead(502);
        response.end(String(error));
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    clear: () => requests.splice(0, requests.length),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
