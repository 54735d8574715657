import { deviceIds, deviceSeed, Fleet } from '../../producer/src/fleet';
import { ReadingModel } from '../../producer/src/model';

// "Same --seed, same readings" for every device of a fleet: each device's seed is fixed here,
// checked against an independent murmur3 fmix32 of seed + index × 0x9e3779b9 (a C program).
describe('the seed of each device of a fleet', () => {
  it.each([
    [42, [939911724, 3948730756, 321366731]],
    [2 ** 32 - 1, [920564995, 4230986166, 697614773]],
  ])('seed %d gives devices 2 to 4 the seeds %j', (seed, expected) => {
    expect([1, 2, 3].map((index) => deviceSeed(seed, index))).toEqual(expected);
  });

  it("gives the second device the readings of a lone device with the second device's seed", () => {
    const fleet = new Fleet(deviceIds({ deviceId: 'x', devices: 2, devicePrefix: 'DHT-' }), 42, 1);
    const lone = new ReadingModel('DHT-002', 939911724, 1);

    const fleetReadings = Array.from({ length: 8 }, (_, i) => fleet.next(i * 1000));

    expect(fleetReadings.filter((reading) => reading.deviceId === 'DHT-002')).toEqual(
      [1, 3, 5, 7].map((i) => lone.next(i * 1000)),
    );
  });
});

describe('a fleet', () => {
  it('refuses to give a reading when it has no device', () => {
    const fleet = new Fleet([], 42, 0);

    expect(fleet.size).toBe(0);
    expect(() => fleet.next(0)).toThrow(new Error('a fleet has at least one device'));
  });
});
