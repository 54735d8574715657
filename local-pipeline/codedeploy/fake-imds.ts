import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the EC2 instance metadata service, IMDSv2 only: a PUT to
 * /latest/api/token returns a token, and every metadata read must carry it.
 */
export interface FakeImds {
  readonly endpoint: string;
  readonly metadata: Map<string, string>;
  stop(): Promise<void>;
}

export async function startFakeImds(metadata: Record<string, string>): Promise<FakeImds> {
  const values = new Map(Object.entries(metadata));
  const token = 'imds-token-for-tests';
  const server = createServer((request, response) => {
    if (request.method === 'PUT' && request.url === '/latest/api/token') {
      response
        .writeHead(request.headers['x-aws-ec2-metadata-token-ttl-seconds'] ? 200 : 400)
        .end(token);
      return;
    }
    if (request.headers['x-aws-ec2-metadata-token'] !== token) {
      response.writeHead(401).end();
      return;
    }
    const value = values.get((request.url ?? '').replace('/latest/meta-data/', ''));
    if (value === undefined) response.writeHead(404).end();
    else response.writeHead(200).end(value);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    metadata: values,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
