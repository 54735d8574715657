import { DetectorMetrics, loadMetricsConfig, STACK_DIMENSION } from '../../lambda/src/metrics';

// The stack dimension the dashboard (cloudformation/anomaly-detection.json) plots by must be
// the one the detector's EMF lines carry, and per-device lines stay off unless asked for.
let stdout: string[];

beforeEach(() => {
  stdout = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
});

const emfLines = () =>
  stdout
    .join('')
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the stack dimension', () => {
  it('is the dimension, set to the stack name, of the line an invocation writes', async () => {
    const metrics = new DetectorMetrics({ serviceName: 'my-stack', perDevice: false });

    await metrics.wrap(() => Promise.resolve('done'))('event');

    const [line] = emfLines();
    expect(line?._aws).toMatchObject({ CloudWatchMetrics: [{ Dimensions: [[STACK_DIMENSION]] }] });
    expect(line?.[STACK_DIMENSION]).toBe('my-stack');
  });
});

describe('metrics settings', () => {
  it('publishes no per-device lines when METRICS_PER_DEVICE is unset', () => {
    expect(loadMetricsConfig({})).toEqual({ serviceName: 'anomaly-detector', perDevice: false });
  });
});
