export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.motoServers ?? []).map((server) => server.stop()));
  globalThis.motoServers = undefined;
}
