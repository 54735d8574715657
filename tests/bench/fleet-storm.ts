import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { minuteOf } from '../../lambda/src/alert-budget';
import { testClientConfig } from '../../local-pipeline/emulator/clients';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { deviceIds } from '../../producer/src/fleet';
import { size } from '../../sizing/src/size';
import { receiveAll } from '../support/aws';
import type { DetectorResources } from '../support/detector-resources';
import { kinesisEvent, kinesisRecord } from '../lambda/events';
import { record } from './figures';
import { FLEET_START, invokeAll, type Handler, type TimedBatch } from './fleet-slot';
import type { RequestMeter } from './request-meter';

const STORM_DEVICES = 1000;
/** How long the storm runs at most, in minutes of readings, for every excursion to reach the inbox. */
const DRAIN_MINUTES = 4;

/** Every message the alert inbox holds (the topic's SQS subscriber, raw delivery), taken out. */
async function inbox(resources: DetectorResources, endpoint: string): Promise<string[]> {
  const sqs = new SQSClient(testClientConfig(endpoint));
  const messages = await receiveAll(sqs, resources.alertQueueUrl, { remove: true });
  return messages.map((message) => message.Body ?? '');
}

/**
 * One batching window of the storm for each concurrent batch of 1,000 devices as `npm run size`
 * sizes them: each device turns hot at its own second of the first minute, and stays hot.
 */
function stormWindow(devices: readonly string[], window: number) {
  const { windowSeconds, parallelizationFactor: slots } = size(STORM_DEVICES, 1).batching;
  const hotAt = (i: number) => Math.floor((i * 60) / devices.length);
  const batches: TimedBatch[] = [];
  const at = FLEET_START + (window + 1) * windowSeconds * 1000;
  for (let slot = 0; slot < slots; slot += 1) {
    const readings = [];
    for (let second = window * windowSeconds; second < (window + 1) * windowSeconds; second += 1)
      for (const [i, deviceId] of devices.entries())
        if (i % slots === slot)
          readings.push({
            deviceId,
            timestamp: new Date(FLEET_START + second * 1000).toISOString(),
            temperature: second >= hotAt(i) ? 102.5 : 98.2,
            unit: 'F',
          });
    const base = (window * slots + slot) * readings.length;
    batches.push({ event: kinesisEvent(readings.map((r, i) => kinesisRecord(r, base + i))), at });
  }
  return batches;
}

/** The stack's limit of alert messages a minute. */
function digestLimit(): number {
  const template = JSON.parse(
    readFileSync(join(repoRoot, 'cloudformation', 'anomaly-detection.json'), 'utf8'),
  ) as { Parameters: Record<string, { Default?: unknown }> };
  return Number(template.Parameters.AlertMessagesPerMinute?.Default);
}

const named = (device: string) => new RegExp(`\\b${device}\\b`);

/**
 * A storm of 1,000 devices opening excursions within one minute, through the built bundle on
 * the readings' clock: a batching window after another until every device is named in a message
 * or DRAIN_MINUTES have passed. Messages are counted by the minute they were published in.
 */
export async function storm(
  meter: RequestMeter,
  moto: string,
  detector: { handler: Handler; resources: DetectorResources },
): Promise<void> {
  const devices = deviceIds({ deviceId: 'DHT-001', devices: STORM_DEVICES, devicePrefix: 'DHT-' });
  const { windowSeconds } = size(STORM_DEVICES, 1).batching;
  meter.clear();
  const bodies: string[] = [];
  const missing = () => devices.filter((d) => !bodies.some((body) => named(d).test(body)));
  for (let window = 0; window * windowSeconds < DRAIN_MINUTES * 60; window += 1) {
    await invokeAll(detector.handler, stormWindow(devices, window));
    bodies.push(...(await inbox(detector.resources, moto)));
    if (window * windowSeconds >= 60 && missing().length === 0) break;
  }
  reportStorm(meter, devices, bodies, missing());
}

function reportStorm(
  meter: RequestMeter,
  devices: readonly string[],
  bodies: readonly string[],
  missing: readonly string[],
): void {
  const perMinute = new Map<number, number>();
  for (const { at, messages } of meter.requests)
    if (messages > 0) perMinute.set(minuteOf(at), (perMinute.get(minuteOf(at)) ?? 0) + messages);
  const counts = [...perMinute.values()];
  const worst = Math.max(0, ...counts);
  const published = counts.reduce((sum, count) => sum + count, 0);
  const limit = digestLimit();
  record({
    name: 'E-mails in a storm: 1,000 devices open excursions within one minute',
    unit: 'messages/minute',
    value: worst,
    baseline: devices.length,
    baselineName: 'one per excursion',
    ratio: devices.length / Math.max(1, published),
    target: `≤ ${limit} a minute, none lost`,
    met: worst <= limit && missing.length === 0,
    note: `${published} SNS messages over ${counts.length} minute(s) of the budget (${counts.join(', ')}), each one e-mail per subscriber; ${bodies.length} delivered to the test subscriber; ${devices.length - missing.length} of ${devices.length} devices named in a message${missing.length ? ` (missing: ${missing.slice(0, 5).join(', ')}…)` : ''}`,
  });
}
