import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../producer/src/model';

/**
 * A loopback HTTP proxy in front of moto that logs every AWS request by operation and, on
 * demand, answers chosen calls with faults moto cannot produce: throttling, HTTP 500, or a
 * service's partial failure. moto never throttles and never returns UnprocessedItems, so
 * this is how tests reach the retry and partial-failure paths of the product code.
 *
 * Partial failures are real: the entries reported as failed are removed from the request
 * before it reaches moto, so they are genuinely not written, exactly as AWS behaves.
 */

export type FaultKind = 'throttle' | 'server-error' | 'partial';

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

interface Classified {
  readonly service: string;
  readonly operation: string;
  readonly protocol: 'json' | 'query' | 'rest-json' | 'rest-xml';
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
  let rules: ActiveRule[] = [];
  const random = seededRandom(seed);
  const upstreamUrl = new URL(upstream);

  const chooseFault = (call: Classified): ActiveRule | undefined => {
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
  };

  const server = createServer((incoming, outgoing) => {
    void readBody(incoming)
      .then(async (body) => {
        const call = classify(incoming, body);
        const rule = chooseFault(call);
        const log = (status: number) =>
          requests.push({
            service: call.service,
            operation: call.operation,
            method: incoming.method ?? 'GET',
            path: incoming.url ?? '/',
            fault: rule?.fault,
            status,
          });
        if (rule && rule.fault !== 'partial') {
          const answer = faultResponse(call, rule.fault);
          log(answer.status);
          outgoing.writeHead(answer.status, answer.headers).end(answer.body);
          return;
        }
        const partial = rule
          ? partialFailure(call, body, rule.entryShare ?? 0.5, random)
          : undefined;
        const forwarded = await forward(upstreamUrl, incoming, partial?.request ?? body);
        const responseBody =
          partial && forwarded.status < 300 ? partial.response(forwarded.body) : forwarded.body;
        log(forwarded.status);
        const headers: Record<string, string | string[]> = {
          ...forwarded.headers,
          'content-length': String(responseBody.length),
        };
        delete headers['transfer-encoding'];
        outgoing.writeHead(forwarded.status, headers).end(responseBody);
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
      rules = [];
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

function classify(incoming: IncomingMessage, body: Buffer): Classified {
  const scope = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(
    incoming.headers.authorization ?? '',
  );
  const service = scope?.[1] ?? 'unknown';
  const target = incoming.headers['x-amz-target'];
  if (typeof target === 'string') {
    return { service, operation: target.split('.').pop() ?? target, protocol: 'json' };
  }
  const contentType = incoming.headers['content-type'] ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const action = new URLSearchParams(body.toString('utf8')).get('Action');
    if (action) return { service, operation: action, protocol: 'query' };
  }
  const path = (incoming.url ?? '/').split('?')[0] ?? '/';
  const protocol = service === 's3' ? 'rest-xml' : 'rest-json';
  return { service, operation: `${incoming.method ?? 'GET'} ${path}`, protocol };
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function faultResponse(call: Classified, fault: Exclude<FaultKind, 'partial'>): Answer {
  const throttleCode =
    call.service === 'dynamodb' || call.service === 'kinesis'
      ? 'ProvisionedThroughputExceededException'
      : call.protocol === 'query'
        ? 'Throttling'
        : call.protocol === 'rest-xml'
          ? 'SlowDown'
          : 'ThrottlingException';
  const code = fault === 'throttle' ? throttleCode : 'InternalFailure';
  const status = fault === 'throttle' ? (call.protocol === 'rest-xml' ? 503 : 400) : 500;
  const message = fault === 'throttle' ? 'Rate exceeded (injected)' : 'Internal failure (injected)';
  switch (call.protocol) {
    case 'json':
      return {
        status,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code },
        body: JSON.stringify({ __type: code, message }),
      };
    case 'rest-json':
      return {
        status: fault === 'throttle' ? 429 : 500,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
        body: JSON.stringify({ message }),
      };
    case 'query':
      return {
        status,
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse><Error><Type>${fault === 'throttle' ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>injected</RequestId></ErrorResponse>`,
      };
    case 'rest-xml':
      return {
        status,
        headers: { 'content-type': 'application/xml' },
        body: `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>injected</RequestId></Error>`,
      };
  }
}

interface Partial {
  readonly request: Buffer;
  response(upstreamBody: Buffer): Buffer;
}

function partialFailure(
  call: Classified,
  body: Buffer,
  share: number,
  random: () => number,
): Partial {
  switch (call.operation) {
    case 'PutRecords':
      return kinesisPartial(body, share, random);
    case 'BatchWriteItem':
      return dynamoPartial(body, share, random);
    case 'PublishBatch':
      return snsPartial(body, share, random);
    default:
      throw new Error(`partial failure is not supported for ${call.operation}`);
  }
}

/** Chooses round(share × n) distinct indices out of n. */
function pickFailed(n: number, share: number, random: () => number): Set<number> {
  const indices = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return new Set(indices.slice(0, Math.round(share * n)));
}

function kinesisPartial(body: Buffer, share: number, random: () => number): Partial {
  const request = JSON.parse(body.toString('utf8')) as { Records: unknown[] };
  const failed = pickFailed(request.Records.length, share, random);
  const kept = request.Records.filter((_, i) => !failed.has(i));
  return {
    request: Buffer.from(JSON.stringify({ ...request, Records: kept })),
    response: (upstreamBody) => {
      const answer = JSON.parse(upstreamBody.toString('utf8')) as {
        Records: unknown[];
        FailedRecordCount?: number;
      };
      const upstreamRecords = [...answer.Records];
      const records = request.Records.map((_, i) =>
        failed.has(i)
          ? {
              ErrorCode: 'ProvisionedThroughputExceededException',
              ErrorMessage: 'Rate exceeded for shard (injected)',
            }
          : upstreamRecords.shift(),
      );
      return Buffer.from(
        JSON.stringify({
          ...answer,
          Records: records,
          FailedRecordCount: (answer.FailedRecordCount ?? 0) + failed.size,
        }),
      );
    },
  };
}

type WriteRequests = Record<string, unknown[]>;

function dynamoPartial(body: Buffer, share: number, random: () => number): Partial {
  const request = JSON.parse(body.toString('utf8')) as { RequestItems: WriteRequests };
  const all = Object.entries(request.RequestItems).flatMap(([table, writes]) =>
    writes.map((write) => ({ table, write })),
  );
  const failed = pickFailed(all.length, share, random);
  const group = (keep: boolean) => {
    const grouped: WriteRequests = {};
    all.forEach(({ table, write }, i) => {
      if (failed.has(i) !== keep) (grouped[table] ??= []).push(write);
    });
    return grouped;
  };
  const kept = group(true);
  const unprocessed = group(false);
  return {
    request: Buffer.from(JSON.stringify({ ...request, RequestItems: kept })),
    response: (upstreamBody) => {
      const answer = JSON.parse(upstreamBody.toString('utf8')) as Record<string, unknown>;
      return Buffer.from(JSON.stringify({ ...answer, UnprocessedItems: unprocessed }));
    },
  };
}

function snsPartial(body: Buffer, share: number, random: () => number): Partial {
  const form = new URLSearchParams(body.toString('utf8'));
  const prefix = 'PublishBatchRequestEntries.member.';
  const members = new Map<number, [string, string][]>();
  const rest: [string, string][] = [];
  for (const [key, value] of form) {
    const match = new RegExp(`^${prefix.replaceAll('.', '\\.')}(\\d+)\\.(.+)$`).exec(key);
    if (match) {
      const index = Number(match[1]);
      members.set(index, [...(members.get(index) ?? []), [match[2]!, value]]);
    } else {
      rest.push([key, value]);
    }
  }
  const ordered = [...members.entries()].sort(([a], [b]) => a - b).map(([, fields]) => fields);
  const failed = pickFailed(ordered.length, share, random);
  const forwarded = new URLSearchParams(rest);
  const failedIds: string[] = [];
  let position = 0;
  ordered.forEach((fields, i) => {
    if (failed.has(i)) {
      failedIds.push(fields.find(([name]) => name === 'Id')?.[1] ?? String(i));
      return;
    }
    position += 1;
    for (const [name, value] of fields) forwarded.append(`${prefix}${position}.${name}`, value);
  });
  const failedXml = failedIds
    .map(
      (id) =>
        `<member><Id>${id}</Id><Code>InternalError</Code><Message>Injected failure</Message><SenderFault>false</SenderFault></member>`,
    )
    .join('');
  return {
    request: Buffer.from(forwarded.toString()),
    response: (upstreamBody) =>
      Buffer.from(
        upstreamBody
          .toString('utf8')
          .replace(/<Failed\s*\/>|<Failed>[\s\S]*?<\/Failed>/, '')
          .replace('</Successful>', `</Successful><Failed>${failedXml}</Failed>`),
      ),
  };
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
