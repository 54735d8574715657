import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import { packBatches } from './batching';
import type { Thresholds } from './classify';
import type { ExcursionEvent } from './excursion';

export interface Alert {
  /** The message attribute subscribers filter on: a device id, or DIGEST_ID for a digest. */
  readonly deviceId: string;
  /** The devices whose messages it carries (a digest's several; otherwise its own). */
  readonly covers?: readonly string[];
  readonly subject: string;
  readonly message: string;
}

/** SNS subjects: ASCII, no control characters, under 100 characters. */
const MAX_SUBJECT_LENGTH = 99;
/** PublishBatch: 10 entries and 256 KiB a call; the margin covers attributes and encoding. */
const PUBLISH_BATCH_LIMITS = { entries: 10, bytes: 240 * 1024 };

const asciiOnly = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?');
export const degrees = (fahrenheit: number): string => `${fahrenheit.toFixed(1)} °F`;

/** "1 h 5 min", "12 min 5 s", "40 s": a duration a person reads at a glance. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${seconds % 60} s`;
  return `${seconds} s`;
}

const between = (from: string, to: string) => formatDuration(Date.parse(to) - Date.parse(from));
const readingsCount = (count: number) => `${count} anomalous reading${count === 1 ? '' : 's'}`;

function headline(event: ExcursionEvent): string {
  const verb = { opened: 'began', reminder: 'continues', closed: 'ended' }[event.type];
  return `${event.excursion.kind} excursion ${verb}`;
}

export function paragraph(event: ExcursionEvent, range: string): string {
  const { excursion } = event;
  switch (event.type) {
    case 'opened':
      return `A ${excursion.kind} excursion began at ${excursion.startedAt}: ${degrees(event.excursion.firstF)} (normal range ${range}).`;
    case 'reminder':
      return `The ${excursion.kind} excursion that began at ${excursion.startedAt} is still open after ${between(excursion.startedAt, event.latestAt)}: ${readingsCount(event.excursion.count)}, peak ${degrees(event.excursion.peakF)}, latest ${degrees(event.latestF)} at ${event.latestAt}.`;
    case 'closed':
      return `The ${excursion.kind} excursion that began at ${excursion.startedAt} ended at ${event.excursion.endedAt} after ${between(excursion.startedAt, event.excursion.endedAt)}: ${readingsCount(event.excursion.count)}, peak ${degrees(event.excursion.peakF)}.`;
  }
}

function subjectFor(deviceId: string, events: readonly ExcursionEvent[]): string {
  const shown = events.slice(0, 2).map(headline);
  const more = events.length - shown.length;
  const prefix = 'Temperature alert for ';
  const suffix = `: ${shown.join(', ')}${more > 0 ? ` +${more}` : ''}`;
  const room = MAX_SUBJECT_LENGTH - prefix.length - suffix.length;
  const device = asciiOnly(deviceId);
  const name = device.length > room ? `${device.slice(0, room - 3)}...` : device;
  return `${prefix}${name}${suffix}`;
}

export const normalRange = (thresholds: Thresholds): string =>
  `${thresholds.coldBelowF}–${thresholds.hotAboveF} °F`;

/** The one message for a device's excursion events of an invocation, in the order they happened. */
export function alertFor(
  deviceId: string,
  events: readonly ExcursionEvent[],
  thresholds: Thresholds,
): Alert {
  const range = normalRange(thresholds);
  const message = [
    `Device ${deviceId}:`,
    '',
    ...events.map((event) => paragraph(event, range)),
    '',
    'Every anomalous reading is stored in the anomaly table.',
  ].join('\n');
  return { deviceId, subject: subjectFor(deviceId, events), message };
}

const covered = (alert: Alert): readonly string[] => alert.covers ?? [alert.deviceId];

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
      const failedIds = new Set(response.Failed?.map((entry) => entry.Id));
      batch.forEach((alert, i) => {
        if (failedIds.has(`alert-${i}`)) covered(alert).forEach((id) => failedDevices.add(id));
        else sent += 1;
      });
    } catch {
      for (const id of batch.flatMap(covered)) failedDevices.add(id);
    }
  }
  return { failedDevices, sent };
}
