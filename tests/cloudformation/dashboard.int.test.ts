import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { testClientConfig } from '../../local-pipeline/emulator/clients';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { METRICS_NAMESPACE, STACK_DIMENSION } from '../../lambda/src/metrics';
import { getDashboard } from '../support/cloudwatch-query';
import { motoEndpoint } from '../support/emulator';
import { plottedMetrics, type DashboardBody } from './dashboard';

const body = readFileSync(join(repoRoot, 'cloudformation', 'anomaly-detection.json'), 'utf8');
const STACK = 'dashboard-check';

describe('the dashboard, deployed on the emulator', () => {
  it("is created with the stack, its body valid JSON naming the stack's own resources", async () => {
    // Prepare
    const config = testClientConfig(motoEndpoint());
    const cloudformation = new CloudFormationClient(config);
    await cloudformation.send(
      new CreateStackCommand({
        StackName: STACK,
        TemplateBody: body,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        // Names of its own, so this stack does not collide with another test file's.
        Parameters: [
          { ParameterKey: 'StreamName', ParameterValue: 'dashboard-readings' },
          { ParameterKey: 'TableName', ParameterValue: 'dashboard-anomalies' },
          { ParameterKey: 'TopicName', ParameterValue: 'dashboard-alerts' },
          { ParameterKey: 'FunctionName', ParameterValue: 'dashboard-detector' },
        ],
      }),
    );

    // Act
    const { Stacks = [] } = await cloudformation.send(
      new DescribeStacksCommand({ StackName: STACK }),
    );
    const outputs: Record<string, string | undefined> = Object.fromEntries(
      (Stacks[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]),
    );
    const dashboard = await getDashboard(motoEndpoint(), `${STACK}-overview`);

    // Assess
    expect(outputs.DashboardUrl).toBe(
      `https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/${STACK}-overview`,
    );
    const parsed = JSON.parse(dashboard.body) as DashboardBody;
    const series = plottedMetrics(parsed).map(
      (metric) => `${metric.namespace} ${metric.name} ${JSON.stringify(metric.dimensions)}`,
    );
    expect(series).toEqual(
      expect.arrayContaining([
        'AWS/Kinesis IncomingRecords {"StreamName":"dashboard-readings"}',
        'AWS/Lambda Errors {"FunctionName":"dashboard-detector"}',
        `${METRICS_NAMESPACE} Anomalies {"${STACK_DIMENSION}":"${STACK}"}`,
        `AWS/EC2 CPUUtilization {"InstanceId":"${outputs.InstanceId}"}`,
      ]),
    );
    expect(series.filter((entry) => entry.includes('{{') || entry.includes('${'))).toEqual([]);
    const queue = plottedMetrics(parsed).find((metric) => metric.namespace === 'AWS/SQS');
    expect(outputs.DeadLetterQueueUrl).toMatch(new RegExp(`/${queue?.dimensions.QueueName}$`));
    const alarms = parsed.widgets.flatMap((widget) => widget.properties.alarms ?? []);
    const templateAlarms = Object.values(
      (JSON.parse(body) as { Resources: Record<string, { Type: string }> }).Resources,
    ).filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(templateAlarms.length);
    // moto creates no alarm from a template, so the name part of these ARNs stays unresolved here.
    for (const arn of alarms) expect(arn).toMatch(/^arn:aws:cloudwatch:us-east-1:\d{12}:alarm:/);
  });
});
