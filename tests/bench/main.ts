import { startFaultProxy } from '../../local-pipeline/emulator/fault-proxy';
import { startMoto } from '../../local-pipeline/emulator/moto';
import { coldInitialisation, firstInvocation, lambdaZip } from './cold-start';
import { endToEnd } from './costs';
import { deploy } from './deploy';
import { detectorCpu, detectorMemory, detectorRequests, memoryProbe } from './detector';
import { log, machine, report } from './figures';
import { fleetTable } from './fleet';
import { producerCost, producerIntoMoto, putRecordLoop } from './producer';

/**
 * `npm run bench`: what the deployed system costs and how fast the pipeline answers, each figure
 * against a baseline measured in the same run (absolute times drift on a shared machine).
 * Prints a table with the machine, Node version and date, and writes bench-results.json; it
 * measures, it does not gate.
 */
async function phase(name: string, run: () => unknown): Promise<void> {
  // The function runs on nodejs22.x; this machine's Node 20 would make the SDK print a warning
  // each time the bench loads the detector in-process.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = Date.now();
  await run();
  log(`    (${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function main(): Promise<void> {
  // Child processes of the benchmark re-enter this bundle with a flag.
  if (process.argv.includes('--memory-probe')) {
    await memoryProbe();
    return;
  }
  const loop = process.argv.indexOf('--put-record-loop');
  if (loop >= 0) {
    await putRecordLoop(Number(process.argv[loop + 1]));
    return;
  }
  // The function runs on nodejs22.x; this machine's Node 20 would make the SDK print a warning
  // each time the bench loads the detector in-process.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = Date.now();
  const moto = await startMoto();
  const proxy = await startFaultProxy(moto.endpoint);
  try {
    // `npm run bench -- --fleet` measures the fleet table alone.
    if (process.argv.includes('--fleet')) {
      await phase('fleet', () => fleetTable(moto.endpoint));
      report({ ...machine(), benchSeconds: Math.round((Date.now() - started) / 1000) });
      return;
    }
    await phase('detector CPU', detectorCpu);
    await phase('detector memory', detectorMemory);
    await phase('detector requests', () => detectorRequests(proxy));
    await phase('producer cost', producerCost);
    await phase('producer into moto', () => producerIntoMoto(moto.endpoint));
    await phase('cold start', () => {
      lambdaZip();
      coldInitialisation();
    });
    await phase('first invocation', () => firstInvocation(moto.endpoint));
    await phase('deploy', () => deploy(moto.endpoint));
    await phase('end to end', () => endToEnd(moto.endpoint));
    await phase('fleet', () => fleetTable(moto.endpoint));
    report({ ...machine(), benchSeconds: Math.round((Date.now() - started) / 1000) });
  } finally {
    await proxy.stop();
    await moto.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `npm run bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
