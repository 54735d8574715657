import { emulatorEnvironment } from '../../local-pipeline/emulator/clients';
import { loadDetector } from '../../local-pipeline/lambda/deployed-detector';
import { dollarsPerDeviceMonth } from '../../sizing/src/prices';
import { createDetectorResources } from '../support/detector-resources';
import { log, record, round } from './figures';
import { invokeAll, slotCpu, slotOf, type Slot, type SlotCpu } from './fleet-slot';
import { storm } from './fleet-storm';
import { startRequestMeter, type RequestMeter } from './request-meter';

const FLEETS = [1, 100, 1000, 10_000];

/** The built bundle on fresh resources, reaching AWS through `endpoint`. */
async function coldDetector(endpoint: string, suffix: string) {
  const resources = await createDetectorResources(endpoint, suffix);
  const handler = loadDetector({
    ...emulatorEnvironment(endpoint),
    ANOMALY_TABLE_NAME: resources.tableName,
    ALERT_TOPIC_ARN: resources.topicArn,
    DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
  });
  return { handler, resources };
}

interface FleetRow {
  readonly devices: number;
  /** The measured batch: devices, window, readings. */
  readonly batch: string;
  readonly cpuMicrosPerRecord: number;
  readonly cpuLowest: SlotCpu['lowest'];
  readonly naiveCpuMicrosPerRecord: number;
  readonly requestsPer1000: number;
  readonly dollarsPerDeviceMonth: number;
  readonly fixedDollarsPerMonth: number;
}

/**
 * One fleet size: a concurrent batch's readings through the built bundle and the request meter
 * against moto (requests, request units, messages), then the same batches through the detector
 * with AWS stubbed in-process for its CPU, beside the naive handler's.
 */
async function measureFleet(meter: RequestMeter, devices: number): Promise<FleetRow> {
  const slot = slotOf(devices);
  const metered = await coldDetector(meter.endpoint, `fleet-${devices}`);
  meter.clear();
  await invokeAll(metered.handler, slot.batches);
  const requests = [...meter.requests];
  const cpu = await slotCpu(slot);
  const per1000 = (count: number) => (count * 1000) / slot.records;
  const total = (pick: (r: (typeof requests)[number]) => number) =>
    per1000(requests.reduce((sum, r) => sum + pick(r), 0));
  const { cost } = slot.sizing;
  return {
    devices,
    batch: describeBatch(slot),
    cpuMicrosPerRecord: cpu.ours,
    cpuLowest: cpu.lowest,
    naiveCpuMicrosPerRecord: cpu.naive,
    requestsPer1000: per1000(requests.length),
    dollarsPerDeviceMonth: dollarsPerDeviceMonth({
      kinesisPutPayloadUnit: 1000,
      lambdaRequest: per1000(slot.batches.length),
      dynamoWriteUnit: total((r) => r.writeUnits),
      dynamoReadUnit: total((r) => r.readUnits),
      snsPublish: total((r) => r.messages),
      snsEmailDelivery: total((r) => r.messages),
      sqsRequest: per1000(requests.filter((r) => r.service === 'sqs').length),
    }),
    fixedDollarsPerMonth: cost.shardHours + cost.extendedRetention + cost.producerInstance,
  };
}

/**
 * What the table shows of a slot. A row keeps only this, not the slot: a slot's batches (up to
 * 300,000 records) left on the heap would make every later measurement's garbage collection
 * dearer, as no detector's heap ever is.
 */
const describeBatch = ({ devices, sizing, batches }: Slot): string =>
  `${devices}, ${sizing.batching.windowSeconds} s, ${batches[0]?.event.Records.length ?? 0}`;

function printTable(rows: readonly FleetRow[]): void {
  log('  Fleet at 1 Hz a device, mapping as npm run size sets it; one concurrent batch measured:');
  log(
    '    devices  batch (devices, window, readings)  CPU µs/record (naive)  AWS requests/1,000  $/device-month  fixed $/month',
  );
  for (const { devices, batch, ...row } of rows) {
    const cpu = `${round(row.cpuMicrosPerRecord)} (${round(row.naiveCpuMicrosPerRecord)})`;
    log(
      `    ${String(devices).padStart(7)}  ${batch.padStart(33)}  ${cpu.padStart(21)}  ${String(round(row.requestsPer1000)).padStart(18)}  ${row.dollarsPerDeviceMonth.toFixed(4).padStart(14)}  ${row.fixedDollarsPerMonth.toFixed(2).padStart(13)}`,
    );
  }
}

function recordRequests(rows: readonly FleetRow[]): void {
  const worst = rows.reduce((a, b) => (b.requestsPer1000 > a.requestsPer1000 ? b : a));
  const note = rows.map((row) => `${row.devices}: ${round(row.requestsPer1000)}`).join(', ');
  record({
    name: 'Fleet: detector AWS requests per 1,000 records (worst fleet size)',
    unit: 'requests',
    value: worst.requestsPer1000,
    baseline: undefined,
    baselineName: '',
    ratio: undefined,
    target: '≤ 12 at every fleet size',
    met: rows.every((row) => row.requestsPer1000 <= 12),
    note: `by devices: ${note} (DynamoDB, SNS and SQS requests the built bundle made against moto; invocations not counted)`,
  });
}

function recordTargets(rows: readonly FleetRow[]): void {
  const at = (devices: number) => rows.find((row) => row.devices === devices)!;
  recordRequests(rows);
  const drift = at(10_000).dollarsPerDeviceMonth / at(100).dollarsPerDeviceMonth;
  record({
    name: 'Fleet: per-reading $/device-month at 10,000 devices against 100',
    unit: '$',
    value: at(10_000).dollarsPerDeviceMonth,
    baseline: at(100).dollarsPerDeviceMonth,
    baselineName: '100 devices',
    ratio: 1 / drift,
    target: 'within 10 % of the figure at 100',
    met: Math.abs(drift - 1) <= 0.1,
    note: 'list prices of sizing/src/prices.ts; fixed $/month (shards, retention, instance) from npm run size',
  });
  const { cpuMicrosPerRecord: cpu, naiveCpuMicrosPerRecord: naive, cpuLowest } = at(10_000);
  record({
    name: 'Fleet: detector CPU per record at 10,000 devices',
    unit: 'µs',
    value: cpu,
    baseline: naive,
    baselineName: 'naive per-record handler',
    ratio: naive / cpu,
    target: '≤ 2 µs and ≤ 1.5× naive',
    met: cpu <= 2 && cpu <= 1.5 * naive,
    note: `the detector as lambda/src/handler.ts wires it (logger, metrics) and the naive handler, on the same batches, AWS answered by in-process stubs (the SDK's own cost is in the requests figure); median of 12 interleaved rounds of the whole slot (lowest rounds ${round(cpuLowest.ours)}, naive ${round(cpuLowest.naive)})`,
    details: { lowest: cpuLowest },
  });
}

/** The fleet table: 1, 100, 1,000 and 10,000 devices, and a storm of 1,000 excursions. */
export async function fleetTable(moto: string): Promise<void> {
  log('Fleet: 1, 100, 1,000 and 10,000 devices through the built detector bundle…');
  const meter = await startRequestMeter(moto);
  const environment = { ...process.env };
  try {
    const rows: FleetRow[] = [];
    for (const devices of FLEETS) rows.push(await measureFleet(meter, devices));
    printTable(rows);
    recordTargets(rows);
    await storm(meter, moto, await coldDetector(meter.endpoint, 'storm'));
  } finally {
    // loadDetector set the function's environment on this process, as a cold start would.
    for (const name of Object.keys(process.env))
      if (!(name in environment)) Reflect.deleteProperty(process.env, name);
    Object.assign(process.env, environment);
    await meter.stop();
  }
}
