import type { Template } from './template';

/** A metric a dashboard widget plots: ["Namespace", "Name", dim, value, …, {options}]. */
export interface PlottedMetric {
  readonly widget: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly stat: string | undefined;
  /** Seconds a point covers: the metric's own period, else the widget's. */
  readonly period: number | undefined;
}

export interface DashboardWidget {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: {
    readonly title?: string;
    readonly stat?: string;
    readonly period?: number;
    readonly metrics?: (string | Record<string, unknown>)[][];
    readonly alarms?: string[];
    readonly annotations?: { horizontal?: { label: string; value: number }[] };
  };
}

export interface DashboardBody {
  readonly widgets: DashboardWidget[];
}

/**
 * The template's DashboardBody as a string, with every `${…}` of its Fn::Sub pieces replaced by a
 * marker naming what it refers to: `{{AWS::StackName}}`, `{{Ref:ReadingStream}}`,
 * `{{GetAtt:DeadLetterQueue.QueueName}}`. Only the functions the body uses are understood; any
 * other is an error, so a change of shape cannot pass unchecked.
 */
export function resolveWithMarkers(value: unknown): string {
  if (typeof value === 'string') return value;
  const fn = value as Record<string, unknown>;
  if (typeof fn['Fn::Sub'] === 'string') {
    return fn['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name.startsWith('AWS::')) return `{{${name}}}`;
      return name.includes('.') ? `{{GetAtt:${name}}}` : `{{Ref:${name}}}`;
    });
  }
  const join = fn['Fn::Join'] as [string, unknown[]] | undefined;
  if (Array.isArray(join)) return join[1].map(resolveWithMarkers).join(join[0]);
  throw new Error(
    `DashboardBody uses an intrinsic this test does not resolve: ${JSON.stringify(value)}`,
  );
}

export function templateDashboard(template: Template): DashboardBody {
  const dashboards = Object.values(template.Resources).filter(
    (resource) => resource.Type === 'AWS::CloudWatch::Dashboard',
  );
  if (dashboards.length !== 1)
    throw new Error(`expected one dashboard, found ${dashboards.length}`);
  return JSON.parse(resolveWithMarkers(dashboards[0]!.Properties?.DashboardBody)) as DashboardBody;
}

export function plottedMetrics(body: DashboardBody): PlottedMetric[] {
  return body.widgets.flatMap((widget) =>
    (widget.properties.metrics ?? []).map((entry) => {
      const options =
        typeof entry.at(-1) === 'object'
          ? (entry.at(-1) as { stat?: string; period?: number })
          : {};
      const [namespace, name, ...rest] = entry.filter((part) => typeof part === 'string');
      if (namespace === undefined || name === undefined || rest.length % 2 !== 0) {
        throw new Error(
          `widget "${widget.properties.title}" has a malformed metric ${JSON.stringify(entry)}`,
        );
      }
      const dimensions: Record<string, string> = {};
      for (let i = 0; i < rest.length; i += 2) dimensions[rest[i]!] = rest[i + 1]!;
      return {
        widget: widget.properties.title ?? widget.type,
        namespace,
        name,
        dimensions,
        stat: options.stat ?? widget.properties.stat,
        period: options.period ?? widget.properties.period,
      };
    }),
  );
}
