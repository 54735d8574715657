import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../../producer/src/model';
import {
  classify,
  faultResponse,
  type Answer,
  type Classified,
  type FaultKind,
} from './aws-protocols';

export type { FaultKind } from './aws-protocols';
import { partialFailure } from './partial-failures';

/**
 * A loopback HTTP proxy in front of moto that logs every AWS request by operation and, on
 * demand, answers chosen calls with faults moto cannot produce: throttling, HTTP 500, or a
 * service's partial failure. moto never throttles and never returns UnprocessedItems, so
 * this is how tests reach the retry and partial-failure paths of the product code.
 *
 * Partial failures are real (partial-failures.ts): what is reported failed is not written.
 */

export interface FaultRule {
  /** Operation name: `PutRecords`, `BatchWriteItem`, `Publish`, or for REST APIs `PUT /path…`. */
  readonly operation: string;
  /** Limit to one service (the SigV4 signing name: `kinesis`, `dynamodb`, `sns`, `s3`, …). */
  readonly service?: string;
  readonly fault: FaultKind;
  /** Fault only the next N matching calls (default: every matching call). */
  readonly times?: number;
  /** Let this many matching calls through before faulting (a crash after the Nth call). */
  readonly after?: number;
  /** Fault this share (0..1) of matching calls, chosen by a seeded generator (default 1). */
  readonly callShare?: number;
  /** For `partial`: the share (0..1) of entries of each faulted call reported failed (default 0.5). */
  readonly entryShare?: number;
}

export interface LoggedRequest {
  readonly service: string;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  /** The fault answered instead of (or on top of) moto's answer, if any. */
  readonly fault: FaultKind | undefined;
  readonly status: number;
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly requests: readonly LoggedRequest[];
  inject(rule: FaultRule): void;
  clearFaults(): void;
  clearLog(): void;
  /** How many requests reached the proxy for an operation (optionally of one service). */
  count(operation: string, service?: string): number;
  stop(): Promise<void>;
}

interface ActiveRule extends FaultRule {
  remaining: number;
  toPass: number;
}

const READ_ONLY =
  /^(Describe|Get|List|Head|Validate|Estimate|Detect|BatchGet|Scan|Query|Receive|Lookup)/;

/** Whether a logged request could change anything in the account. */
export function isMutating(entry: LoggedRequest): boolean {
  if (/^(GET|HEAD) /.test(entry.operation)) return false;
  return !READ_ONLY.test(entry.operation);
}

export async function startFaultProxy(upstream: string, seed = 1): Promise<FaultProxy> {
  const requests: LoggedRequest[] = [];
  const rules: ActiveRule[] = [];
  const random = seededRandom(seed);
  const upstreamUrl = new URL(upstream);

  const server = createServer((incoming, outgoing) => {
    void readBody(incoming)
      .then(async (body) => {
        const call = classify(incoming, body);
        const rule = takeFault(rules, call, random);
        const answer = await answerCall(upstreamUrl, incoming, body, call, rule, random);
        requests.push(logEntry(incoming, call, rule, answer));
        outgoing.writeHead(answer.status, answer.headers).end(answer.body);
      })
      .catch((error: unknown) => {
        outgoing.writeHead(502).end(String(error));
      });
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    inject: (rule) => {
      rules.push({
        ...rule,
        remaining: rule.times ?? Number.POSITIVE_INFINITY,
        toPass: rule.after ?? 0,
      });
    },
    clearFaults: () => {
      rules.length = 0;
    },
    clearLog: () => {
      requests.length = 0;
    },
    count: (operation, service) =>
      requests.filter(
        (entry) =>
          entry.operation === operation && (service === undefined || entry.service === service),
      ).length,
    stop: () => close(server),
  };
}

function logEntry(
  incoming: IncomingMessage,
  call: Classified,
  rule: ActiveRule | undefined,
  answer: Answer,
): LoggedRequest {
  return {
    service: call.service,
    operation: call.operation,
    method: incoming.method ?? 'GET',
    path: incoming.url ?? '/',
    fault: rule?.fault,
    status: answer.status,
  };
}

/** The rule that faults this call, if any, counted as used. */
function takeFault(
  rules: readonly ActiveRule[],
  call: Classified,
  random: () => number,
): ActiveRule | undefined {
  const rule = rules.find(
    (candidate) =>
      candidate.remaining > 0 &&
      candidate.operation === call.operation &&
      (candidate.service === undefined || candidate.service === call.service),
  );
  if (!rule) return undefined;
  if (rule.toPass > 0) {
    rule.toPass -= 1;
    return undefined;
  }
  if (random() >= (rule.callShare ?? 1)) return undefined;
  rule.remaining -= 1;
  return rule;
}

/** The rule's fault, else moto's answer: under a `partial` rule, with the failed entries reported. */
async function answerCall(
  upstream: URL,
  incoming: IncomingMessage,
  body: Buffer,
  call: Classified,
  rule: ActiveRule | undefined,
  random: () => number,
): Promise<Answer> {
  if (rule && rule.fault !== 'partial') return faultResponse(call, rule.fault);
  const partial = rule
    ? partialFailure(call.operation, body, rule.entryShare ?? 0.5, random)
    : undefined;
  const forwarded = await forward(upstream, incoming, partial?.request ?? body);
  const responseBody =
    partial && forwarded.status < 300 ? partial.response(forwarded.body) : forwarded.body;
  const headers: Record<string, string | string[]> = {
    ...forwarded.headers,
    'content-length': String(responseBody.length),
  };
  delete headers['transfer-encoding'];
  return { status: forwarded.status, headers, body: responseBody };
}

interface Forwarded {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

function forward(upstream: URL, incoming: IncomingMessage, body: Buffer): Promise<Forwarded> {
  return new Promise((resolve, reject) => {
    const headers = { ...incoming.headers, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const outgoing = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers,
      },
      (response) => {
        void readBody(response).then((responseBody) => {
          const responseHeaders: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) responseHeaders[name] = value;
          }
          resolve({
            status: response.statusCode ?? 502,
            headers: responseHeaders,
            body: responseBody,
          });
        }, reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The whole body of an HTTP message. */
export function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    stream.on('error', reject);
  });
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}
