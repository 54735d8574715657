import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import { packBatches } from './batching';
import type { Thresholds } from './config';
import type { Anomaly } from './store';

export interface Alert {
  readonly deviceId: string;
  readonly subject: string;
  readonly message: string;
}

/** SNS subjects: ASCII, no control characters, under 100 characters. */
const MAX_SUBJECT_LENGTH = 99;
/** Enough lines for a person; the rest is counted, keeping a message far below SNS's 256 KiB. */
const MAX_LISTED_ANOMALIES = 100;
/** PublishBatch: 10 entries and 256 KiB a call; the margin covers attributes and encoding. */
const PUBLISH_BATCH_LIMITS = { entries: 10, bytes: 240 * 1024 };

const asciiOnly = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?');

function subjectFor(deviceId: string, anomalies: readonly Anomaly[]): string {
  const hot = anomalies.filter((anomaly) => anomaly.kind === 'HOT').length;
  const cold = anomalies.length - hot;
  const counts = [hot ? `${hot} HOT` : '', cold ? `${cold} COLD` : ''].filter(Boolean).join(', ');
  const prefix = 'Temperature alert for ';
  const suffix = `: ${counts}`;
  const room = MAX_SUBJECT_LENGTH - prefix.length - suffix.length;
  const device = asciiOnly(deviceId);
  const shown = device.length > room ? `${device.slice(0, room - 3)}...` : device;
  return `${prefix}${shown}${suffix}`;
}

function lineFor(anomaly: Anomaly): string {
  const { reading } = anomaly;
  const celsius =
    reading.unit === 'C' ? ` (${(((reading.temperatureF - 32) * 5) / 9).toFixed(1)} °C)` : '';
  return `${reading.timestamp}  ${reading.temperatureF.toFixed(1)} °F${celsius}  ${anomaly.kind}`;
}

/** One alert per device, listing that device's anomalies in time order. */
export function alertsFor(anomalies: readonly Anomaly[], thresholds: Thresholds): Alert[] {
  const byDevice = new Map<string, Anomaly[]>();
  for (const anomaly of anomalies) {
    const list = byDevice.get(anomaly.reading.deviceId) ?? [];
    list.push(anomaly);
    byDevice.set(anomaly.reading.deviceId, list);
  }
  return [...byDevice].map(([deviceId, list]) => {
    const ordered = [...list].sort((a, b) =>
      a.reading.timestamp.localeCompare(b.reading.timestamp),
    );
    const listed = ordered.slice(0, MAX_LISTED_ANOMALIES).map(lineFor);
    const more = ordered.length - listed.length;
    const message = [
      `Device ${deviceId} reported ${ordered.length} temperature reading${ordered.length === 1 ? '' : 's'} outside the normal range (${thresholds.coldBelowF}–${thresholds.hotAboveF} °F):`,
      '',
      ...listed,
      ...(more > 0 ? [`…and ${more} more, stored in the anomaly table.`] : []),
    ].join('\n');
    return { deviceId, subject: subjectFor(deviceId, ordered), message };
  });
}

export interface PublishResult {
  readonly failedDevices: ReadonlySet<string>;
  readonly sent: number;
}

/** Publishes the alerts in as few PublishBatch calls as SNS allows; reports devices not alerted. */
export async function publishAlerts(
  sns: SNSClient,
  topicArn: string,
  alerts: readonly Alert[],
): Promise<PublishResult> {
  const failedDevices = new Set<string>();
  let sent = 0;
  const batches = packBatches(
    alerts,
    (alert) => Buffer.byteLength(alert.message) + Buffer.byteLength(alert.subject) + 256,
    PUBLISH_BATCH_LIMITS,
  );
  for (const batch of batches) {
    const entries = batch.map((alert, i) => ({
      Id: `alert-${i}`,
      Subject: alert.subject,
      Message: alert.message,
      MessageAttributes: { deviceId: { DataType: 'String', StringValue: alert.deviceId } },
    }));
    try {
      const response = await sns.send(
        new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }),
      );
      const failedIds = new Set((response.Failed ?? []).map((entry) => entry.Id));
      batch.forEach((alert, i) => {
        if (failedIds.has(`alert-${i}`)) failedDevices.add(alert.deviceId);
        else sent += 1;
      });
    } catch {
      for (const alert of batch) failedDevices.add(alert.deviceId);
    }
  }
  return { failedDevices, sent };
}
