import type { Config } from '@jest/types';
import { startMoto, type MotoServer } from '../../local-pipeline/emulator/moto';

declare global {
  var motoServers: MotoServer[] | undefined;
}

/**
 * One moto server per jest worker: a worker runs one test file at a time, so each file can
 * reset "its" emulator without disturbing files running in parallel on other workers.
 * The endpoints reach the workers through the environment.
 */
export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  const count = Math.max(1, globalConfig.maxWorkers);
  const servers = await Promise.all(Array.from({ length: count }, () => startMoto()));
  globalThis.motoServers = servers;
  process.env.MOTO_ENDPOINTS = servers.map((server) => server.endpoint).join(',');
}
