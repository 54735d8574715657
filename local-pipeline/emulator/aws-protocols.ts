import type { IncomingMessage } from 'node:http';

/** What the fault proxy can answer instead of moto. */
export type FaultKind = 'throttle' | 'server-error' | 'partial';

/**
 * What the fault proxy knows of AWS's wire protocols: which service and operation a request
 * is, and how each protocol answers an injected throttle or internal failure, so the SDK's
 * own error parsing and retry strategy see what AWS would send.
 */

export interface Classified {
  readonly service: string;
  readonly operation: string;
  readonly protocol: 'json' | 'query' | 'rest-json' | 'rest-xml';
}

export function classify(incoming: IncomingMessage, body: Buffer): Classified {
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

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: string | Buffer;
}

export function faultResponse(call: Classified, fault: Exclude<FaultKind, 'partial'>): Answer {
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
