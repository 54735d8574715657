import { DETECTOR_METRICS, METRICS_NAMESPACE, STACK_DIMENSION } from '../../lambda/src/metrics';
import {
  plottedMetrics,
  resolveWithMarkers,
  templateDashboard,
  type DashboardWidget,
} from './dashboard';
import { loadTemplate, onlyResourceOfType, resourcesOfType, type Template } from './template';

const template = loadTemplate('anomaly-detection.json');

/**
 * The AWS metrics a dashboard may plot: per namespace, the resource type whose metrics they are,
 * its dimension and how the template names it, and the metric names AWS publishes for it
 * (docs.aws.amazon.com: Kinesis "Monitoring with CloudWatch", Lambda "Types of metrics",
 * SQS "Available CloudWatch metrics", EC2 "List the available CloudWatch metrics").
 */
const AWS_METRICS: Record<
  string,
  { type: string; dimension: string; attribute: string | undefined; names: string[] }
> = {
  'AWS/Kinesis': {
    type: 'AWS::Kinesis::Stream',
    dimension: 'StreamName',
    attribute: undefined,
    names: ['IncomingRecords', 'IncomingBytes', 'GetRecords.IteratorAgeMilliseconds'],
  },
  'AWS/Lambda': {
    type: 'AWS::Lambda::Function',
    dimension: 'FunctionName',
    attribute: undefined,
    names: ['Invocations', 'Errors', 'Throttles', 'Duration', 'IteratorAge'],
  },
  'AWS/SQS': {
    type: 'AWS::SQS::Queue',
    dimension: 'QueueName',
    attribute: 'QueueName',
    names: [
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
      'NumberOfMessagesSent',
    ],
  },
  'AWS/EC2': {
    type: 'AWS::EC2::Instance',
    dimension: 'InstanceId',
    attribute: undefined,
    names: ['CPUUtilization', 'StatusCheckFailed_Instance', 'StatusCheckFailed_System'],
  },
};

/** Why a plotted metric would stay empty, or undefined when the stack really has it. */
function whyEmpty(
  metric: ReturnType<typeof plottedMetrics>[number],
  stack: Template,
): string | undefined {
  if (metric.namespace === METRICS_NAMESPACE) {
    if (!(metric.name in DETECTOR_METRICS)) return 'the detector emits no metric of that name';
    const expected = { [STACK_DIMENSION]: '{{AWS::StackName}}' };
    return JSON.stringify(metric.dimensions) === JSON.stringify(expected)
      ? undefined
      : `the detector emits it with dimensions ${JSON.stringify(expected)}`;
  }
  const known = AWS_METRICS[metric.namespace];
  if (!known) return 'no resource of the stack publishes to that namespace';
  if (!known.names.includes(metric.name)) return `${known.type} publishes no metric of that name`;
  const entries = Object.entries(metric.dimensions);
  const [dimension, marker] = entries[0] ?? [];
  if (entries.length !== 1 || dimension !== known.dimension) {
    return `its only dimension must be ${known.dimension}`;
  }
  const named = known.attribute
    ? /^\{\{GetAtt:(\w+)\.(\w+)\}\}$/.exec(marker ?? '')
    : /^\{\{Ref:(\w+)\}\}$/.exec(marker ?? '');
  const resource = named ? stack.Resources[named[1]!] : undefined;
  if (resource?.Type !== known.type || named?.[2] !== known.attribute) {
    return `${dimension} must name a ${known.type} of the stack`;
  }
  return undefined;
}

interface AlarmProperties {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: { Ref: string } | { 'Fn::GetAtt': [string, string] } }[];
  Statistic: string;
  Period: number;
  Threshold: number;
}

/** The stack's alarms, each with the metric it watches written as the dashboard plots it. */
const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([id, resource]) => {
  const alarm = resource.Properties as unknown as AlarmProperties;
  const marker = (value: AlarmProperties['Dimensions'][number]['Value']) =>
    'Ref' in value ? `{{Ref:${value.Ref}}}` : `{{GetAtt:${value['Fn::GetAtt'].join('.')}}}`;
  const dimensions = Object.fromEntries(alarm.Dimensions.map((d) => [d.Name, marker(d.Value)]));
  return {
    id,
    alarm,
    metric: `${alarm.Namespace} ${alarm.MetricName} ${JSON.stringify(dimensions)}`,
  };
});
const metricKey = (metric: ReturnType<typeof plottedMetrics>[number]) =>
  `${metric.namespace} ${metric.name} ${JSON.stringify(metric.dimensions)}`;

const dashboard = templateDashboard(template);
const metrics = plottedMetrics(dashboard);
const widgetTitled = (text: string): DashboardWidget => {
  const found = dashboard.widgets.find((widget) => widget.properties.title?.includes(text));
  if (!found) throw new Error(`no widget titled with "${text}"`);
  return found;
};

describe('the dashboard in anomaly-detection.json', () => {
  it('plots only metrics the stack really has, each with a statistic', () => {
    const problems = metrics
      .map((metric) => ({ metric, why: whyEmpty(metric, template) }))
      .filter(({ why }) => why !== undefined)
      .map(({ metric, why }) => `${metric.widget}: ${metric.namespace} ${metric.name}: ${why}`);
    expect(problems).toEqual([]);
    expect(
      metrics.filter((metric) => !/^(Sum|Average|Maximum|Minimum|p\d+)$/.test(metric.stat ?? '')),
    ).toEqual([]);
  });

  it('is labelled with the stack name the detector reports as its metrics dimension', () => {
    const variables = (
      onlyResourceOfType(template, 'AWS::Lambda::Function').Properties?.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(variables.POWERTOOLS_SERVICE_NAME).toEqual({ Ref: 'AWS::StackName' });
    expect(variables.METRICS_PER_DEVICE).toEqual({ Ref: 'DetectorMetricsPerDevice' });
  });

  it("plots every metric the detector emits, and what the issue asks of the stack's resources", () => {
    const plotted = new Set(metrics.map((metric) => `${metric.namespace} ${metric.name}`));
    for (const name of Object.keys(DETECTOR_METRICS))
      expect(plotted).toContain(`${METRICS_NAMESPACE} ${name}`);
    for (const wanted of [
      'AWS/Kinesis IncomingRecords',
      'AWS/Kinesis GetRecords.IteratorAgeMilliseconds',
      'AWS/Lambda Errors',
      'AWS/Lambda Throttles',
      'AWS/Lambda Duration',
      'AWS/SQS ApproximateNumberOfMessagesVisible',
      'AWS/EC2 CPUUtilization',
      'AWS/EC2 StatusCheckFailed_Instance',
    ])
      expect(plotted).toContain(wanted);
  });

  it("shows every alarm of the stack's state, and nothing that is not one of its alarms", () => {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([name]) => name);
    const shown = dashboard.widgets
      .filter((widget) => widget.type === 'alarm')
      .flatMap((widget) => widget.properties.alarms ?? []);
    // Built from Ref (the alarm's name): moto cannot create alarms from a template, so the
    // emulator test could not resolve GetAtt …Arn; on AWS both give the same ARN.
    const arnOf = (name: string) =>
      `arn:{{AWS::Partition}}:cloudwatch:{{AWS::Region}}:{{AWS::AccountId}}:alarm:{{Ref:${name}}}`;
    expect([...shown].sort()).toEqual(alarms.map(arnOf).sort());
  });

  it("draws each alarm's threshold on a graph of its metric, at its statistic and period", () => {
    const problems: string[] = [];
    for (const widget of dashboard.widgets) {
      const plotted = plottedMetrics({ widgets: [widget] });
      for (const line of widget.properties.annotations?.horizontal ?? []) {
        const found = alarms.find(({ id }) => line.label === `${id} threshold`);
        const { alarm, metric } = found ?? {};
        const where = `"${widget.properties.title}": "${line.label}"`;
        if (!alarm) problems.push(`${where} names no alarm of the stack`);
        else if (line.value !== alarm.Threshold)
          problems.push(`${where} is not at ${alarm.Threshold}`);
        else if (
          !plotted.some(
            (m) =>
              metricKey(m) === metric && m.stat === alarm.Statistic && m.period === alarm.Period,
          )
        )
          problems.push(`${where} is not over ${metric} (${alarm.Statistic}, ${alarm.Period} s)`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("plots every alarm's metric and draws the alarm's threshold line there", () => {
    const plotted = new Set(metrics.map(metricKey));
    const labels = dashboard.widgets.flatMap((widget) =>
      (widget.properties.annotations?.horizontal ?? []).map((line) => line.label),
    );
    const drawable = alarms.filter(({ metric }) => plotted.has(metric)).map(({ id }) => id);
    expect(drawable.sort()).toEqual(alarms.map(({ id }) => id).sort());
    expect(drawable.filter((id) => !labels.includes(`${id} threshold`))).toEqual([]);
  });

  it("draws the iterator-age line at the alarm's threshold", () => {
    const alarm = alarms.find(({ id }) => id === 'StreamIteratorAgeAlarm')?.alarm;
    expect(widgetTitled('Iterator age').properties.annotations?.horizontal).toEqual([
      { label: 'StreamIteratorAgeAlarm threshold', value: alarm?.Threshold },
    ]);
    expect(alarm?.Threshold).toBe(15 * 60 * 1000);
  });

  it('lays the widgets out on the 24-column grid without overlaps', () => {
    const cells = new Set<string>();
    for (const widget of dashboard.widgets) {
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
      for (let x = widget.x; x < widget.x + widget.width; x += 1)
        for (let y = widget.y; y < widget.y + widget.height; y += 1) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
  });

  it('gives its console URL as a stack output', () => {
    expect(template.Outputs.DashboardUrl?.Value).toEqual({
      'Fn::Sub':
        'https://console.aws.amazon.com/cloudwatch/home?region=${AWS::Region}#dashboards/dashboard/${Dashboard}',
    });
  });

  it('refuses to resolve an intrinsic it does not know, rather than passing it unchecked', () => {
    expect(() => resolveWithMarkers({ 'Fn::If': ['x', 'a', 'b'] })).toThrow(
      'DashboardBody uses an intrinsic this test does not resolve',
    );
  });
});
