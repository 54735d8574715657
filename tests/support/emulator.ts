/** The moto endpoint that belongs to the jest worker running this test file. */
export function motoEndpoint(): string {
  const endpoints = (process.env.MOTO_ENDPOINTS ?? '').split(',').filter(Boolean);
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const endpoint = endpoints[(worker - 1) % Math.max(1, endpoints.length)];
  if (!endpoint) {
    throw new Error('MOTO_ENDPOINTS is not set: run integration tests through jest (npm test).');
  }
  return endpoint;
}
