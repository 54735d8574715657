import { normalRange, paragraph, type Alert } from './alerts';
import { packBatches } from './batching';
import type { Thresholds } from './classify';
import type { ExcursionEvent } from './excursion';

/**
 * The deviceId message attribute of a digest. The e-mail subscription's filter lets it through
 * (it drops only the release check's devices, which never join a digest: see alert-send.ts).
 */
export const DIGEST_ID = 'digest';

export interface DeviceMessage {
  readonly deviceId: string;
  readonly events: readonly ExcursionEvent[];
}

/** SNS takes 256 KiB a message; the margin covers the subject and attributes. */
const DIGEST_BYTES = 200 * 1024;

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * Digests covering every message given, each within what SNS takes: one line per excursion
 * event with its device, kind, start and temperature, devices in the order given.
 */
export function digestsFor(messages: readonly DeviceMessage[], thresholds: Thresholds): Alert[] {
  const range = normalRange(thresholds);
  const lines = messages.map(({ deviceId, events }) => ({
    deviceId,
    events: events.length,
    text: events.map((event) => `- ${deviceId}: ${paragraph(event, range)}`).join('\n'),
  }));
  return packBatches(lines, ({ text }) => Buffer.byteLength(text) + 1, {
    entries: Number.POSITIVE_INFINITY,
    bytes: DIGEST_BYTES,
  }).map((part) => digestOf(part));
}

interface Line {
  readonly deviceId: string;
  readonly events: number;
  readonly text: string;
}

function digestOf(lines: readonly Line[]): Alert {
  const events = lines.reduce((total, line) => total + line.events, 0);
  const devices = plural(lines.length, 'device');
  return {
    deviceId: DIGEST_ID,
    covers: lines.map(({ deviceId }) => deviceId),
    subject: `Temperature alerts for ${devices}: ${plural(events, 'excursion event')}`,
    message: [
      `Temperature alerts for ${devices} at once (a digest: too many for a message each):`,
      '',
      ...lines.map(({ text }) => text),
      '',
      'Every anomalous reading is stored in the anomaly table.',
    ].join('\n'),
  };
}
