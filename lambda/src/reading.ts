/** A validated reading, temperature converted to °F. */
export interface Reading {
  readonly deviceId: string;
  /** Normalised ISO-8601 UTC (`Date#toISOString`), so the same instant is always the same key. */
  readonly timestamp: string;
  readonly temperatureF: number;
  /** The unit the sensor reported in, for the record. */
  readonly unit: 'F' | 'C';
}

export type Decoded =
  | { readonly ok: true; readonly reading: Reading }
  | { readonly ok: false; readonly reason: string };

/** Larger than any reading can be (one is ~100 bytes); anything bigger is not a reading. */
export const MAX_RECORD_BYTES = 1024;
export const MAX_DEVICE_ID_LENGTH = 128;
/** What a DHT sensor can measure at all (-40 °C to 80 °C); beyond it a value is not a reading. */
export const SENSOR_RANGE_F = { min: -40, max: 176 } as const;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]00:?00)$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const fail = (reason: string): Decoded => ({ ok: false, reason });

/** Kinesis record data (base64) → validated reading, or the reason it can never be one. */
export function decodeReading(base64Data: string): Decoded {
  if (base64Data.length > Math.ceil(MAX_RECORD_BYTES / 3) * 4) {
    return fail(`record is larger than ${MAX_RECORD_BYTES} bytes`);
  }
  if (!BASE64.test(base64Data)) return fail('data is not valid base64');
  let text: string;
  try {
    text = utf8.decode(Buffer.from(base64Data, 'base64'));
  } catch {
    return fail('data is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('data is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail('data is JSON but not an object');
  }
  return validateReading(parsed as Record<string, unknown>);
}

function validateReading(fields: Record<string, unknown>): Decoded {
  const { deviceId, timestamp, temperature, unit = 'F' } = fields;
  if (deviceId === undefined) return fail('deviceId is missing');
  if (typeof deviceId !== 'string' || deviceId.length === 0) {
    return fail('deviceId must be a non-empty string');
  }
  if (deviceId.length > MAX_DEVICE_ID_LENGTH) {
    return fail(`deviceId is longer than ${MAX_DEVICE_ID_LENGTH} characters`);
  }
  if (timestamp === undefined) return fail('timestamp is missing');
  if (typeof timestamp !== 'string') return fail('timestamp must be a string');
  const instant = ISO_UTC.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  // Date.parse rolls impossible dates over (30 February → 2 March); the round trip catches it.
  if (
    Number.isNaN(instant) ||
    new Date(instant).toISOString().slice(0, 10) !== timestamp.slice(0, 10)
  ) {
    return fail('timestamp is not an ISO-8601 UTC date-time');
  }
  if (temperature === undefined) return fail('temperature is missing');
  if (typeof temperature !== 'number' || !Number.isFinite(temperature)) {
    return fail('temperature must be a finite number');
  }
  if (unit !== 'F' && unit !== 'C') return fail('unit must be "F" or "C"');
  const temperatureF = unit === 'C' ? (temperature * 9) / 5 + 32 : temperature;
  if (temperatureF < SENSOR_RANGE_F.min || temperatureF > SENSOR_RANGE_F.max) {
    return fail(
      `temperature ${temperature} °${unit} is outside what the sensor can report (-40 °F to 176 °F)`,
    );
  }
  return {
    ok: true,
    reading: { deviceId, timestamp: new Date(instant).toISOString(), temperatureF, unit },
  };
}
