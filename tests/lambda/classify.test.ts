import { classify } from '../../lambda/src/classify';
import { DEFAULT_THRESHOLDS } from '../../lambda/src/classify';
import { decodeReading } from '../../lambda/src/reading';
import { readingJson } from './events';

function classifyReading(temperature: number, unit: 'F' | 'C') {
  const decoded = decodeReading(
    Buffer.from(JSON.stringify(readingJson({ temperature, unit }))).toString('base64'),
  );
  if (!decoded.ok) throw new Error(decoded.reason);
  return classify(decoded.reading.temperatureF, DEFAULT_THRESHOLDS);
}

describe('classify', () => {
  it.each([
    ['95.9 °F is COLD', 95.9, 'F', 'COLD'],
    ['96 °F is normal', 96, 'F', undefined],
    ['98.6 °F is normal', 98.6, 'F', undefined],
    ['101 °F is normal', 101, 'F', undefined],
    ['101.1 °F is HOT', 101.1, 'F', 'HOT'],
    ['35.5 °C (95.9 °F) is COLD', 35.5, 'C', 'COLD'],
    ['37 °C (98.6 °F) is normal', 37, 'C', undefined],
    ['38.4 °C (101.12 °F) is HOT', 38.4, 'C', 'HOT'],
  ] as const)('%s', (_name, temperature, unit, expected) => {
    expect(classifyReading(temperature, unit)).toBe(expected);
  });

  it('honours configured thresholds', () => {
    expect(classify(99, { coldBelowF: 99.5, hotAboveF: 100 })).toBe('COLD');
    expect(classify(100.5, { coldBelowF: 99.5, hotAboveF: 100 })).toBe('HOT');
  });
});
