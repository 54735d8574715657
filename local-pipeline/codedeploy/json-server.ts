import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback server speaking the AWS JSON 1.1 protocol (the operation in X-Amz-Target, a JSON
 * body each way, errors as `{__type, message}`): what the CodeDeploy stand-in answers with.
 */

export type Operations = Record<string, (input: Record<string, unknown>) => unknown>;

/** An error the service returns to the client under its own name (HTTP 400). */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface JsonServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** An answer given before `operations` are consulted (undefined: not this one's request). */
export type Intercept = (
  operation: string,
  input: Record<string, unknown>,
) => { readonly status: number; readonly body: unknown } | undefined;

export async function startJsonServer(
  operations: Operations,
  intercept?: Intercept,
): Promise<JsonServer> {
  const server = createServer((request, response) => {
    void readJson(request).then((input) => {
      const operation =
        String(request.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      const { status, body } =
        intercept?.(operation, input) ?? answer(operations, operation, input);
      response
        .writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
        .end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

/** The operation's answer, or its error as the service reports it (`{__type, message}`). */
function answer(
  operations: Operations,
  operation: string,
  input: Record<string, unknown>,
): { readonly status: number; readonly body: unknown } {
  try {
    const handler = operations[operation];
    if (!handler)
      throw new ServiceError(
        'UnknownOperationException',
        `The stand-in does not implement ${operation}`,
      );
    // The answer is built before anything is written, so a handler's error still reports.
    return { status: 200, body: handler(input) };
  } catch (error) {
    const name = error instanceof ServiceError ? error.code : 'InternalFailure';
    return {
      status: error instanceof ServiceError ? 400 : 500,
      body: { __type: name, message: String(error instanceof Error ? error.message : error) },
    };
  }
}

function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      resolve(body ? (JSON.parse(body) as Record<string, unknown>) : {});
    });
  });
}
