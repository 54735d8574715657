import { deployedBatching } from '../../sizing/src/stack-defaults';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { loadTemplate, onlyResourceOfType } from './template';

const template = loadTemplate('anomaly-detection.json');
const parameters = template.Parameters as Record<string, Record<string, unknown>>;
const props = (type: string) => onlyResourceOfType(template, type).Properties ?? {};

// The stream's and the mapping's capacity are the stack's parameters (issue 26); their defaults
// keep the one-shard stream and the mapping the stack had before.
describe('anomaly-detection.json: capacity', () => {
  it('adds its parameters right after StreamShardCount, defaults keeping one shard and one batch at a time', () => {
    const names = Object.keys(parameters);
    const at = names.indexOf('StreamShardCount');
    expect(names.slice(at, at + 6)).toEqual([
      'StreamShardCount',
      'StreamMode',
      'DetectorParallelizationFactor',
      'DetectorBatchSize',
      'DetectorBatchingWindowSeconds',
      'DeviceCount',
    ]);
    expect(deployedBatching(repoRoot)).toEqual({
      batchSize: 500,
      windowSeconds: 10,
      parallelizationFactor: 1,
    });
    expect(parameters.StreamShardCount?.Default).toBe(1);
    expect(parameters.StreamMode?.Default).toBe('PROVISIONED');
    expect(parameters.DeviceCount?.Default).toBe(1);
  });

  it('refuses a parallelisation factor outside 1-10 and a device count outside 1-100,000', () => {
    expect(parameters.DetectorParallelizationFactor).toMatchObject({
      Type: 'Number',
      MinValue: 1,
      MaxValue: 10,
      AllowedValues: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    });
    expect(parameters.DeviceCount).toMatchObject({ MinValue: 1, MaxValue: 100000 });
    expect(parameters.DetectorBatchSize).toMatchObject({ MinValue: 1, MaxValue: 10000 });
    expect(parameters.DetectorBatchingWindowSeconds).toMatchObject({ MinValue: 0, MaxValue: 300 });
    expect(parameters.StreamMode?.AllowedValues).toEqual(['PROVISIONED', 'ON_DEMAND']);
  });

  it('gives the stream a shard count only in provisioned mode', () => {
    expect(props('AWS::Kinesis::Stream')).toMatchObject({
      StreamModeDetails: { StreamMode: { Ref: 'StreamMode' } },
      ShardCount: {
        'Fn::If': ['IsProvisionedStream', { Ref: 'StreamShardCount' }, { Ref: 'AWS::NoValue' }],
      },
    });
  });

  it('hands the device count to the producer instance as the tag its AfterInstall hook reads', () => {
    const tags = props('AWS::EC2::Instance').Tags as { Key: string; Value: unknown }[];
    expect(tags).toContainEqual({ Key: 'AnomalyDeviceCount', Value: { Ref: 'DeviceCount' } });
    expect(props('AWS::Lambda::EventSourceMapping')).toMatchObject({
      BatchSize: { Ref: 'DetectorBatchSize' },
      MaximumBatchingWindowInSeconds: { Ref: 'DetectorBatchingWindowSeconds' },
      ParallelizationFactor: { Ref: 'DetectorParallelizationFactor' },
    });
  });
});
