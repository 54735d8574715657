import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { physicalResource, type PhysicalResource, type Sample } from './physical';

/**
 * Renders a CloudFormation template the way CloudFormation would for one sample account, region
 * and stack: parameters at their defaults (or the overrides given), conditions decided, every
 * intrinsic function resolved, and each resource given the physical name, Ref value and ARNs it
 * would really get. The proof evaluates the policies of the rendered template, so a policy that
 * only looks right before `Fn::Sub` is filled in cannot pass.
 */

export type { Sample };

export const SAMPLE: Sample = {
  account: '111122223333',
  region: 'us-east-1',
  partition: 'aws',
  stackName: 'anomaly-detection',
};

export const stackId = (sample: Sample): string =>
  `arn:${sample.partition}:cloudformation:${sample.region}:${sample.account}:stack/${sample.stackName}/0f7e3f90-1111-11f0-8000-0a1b2c3d4e5f`;

export interface RenderedResource extends PhysicalResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly raw: Record<string, unknown>;
}

export interface RenderedTemplate {
  readonly sample: Sample;
  readonly parameters: Record<string, string>;
  readonly resources: Record<string, RenderedResource>;
  readonly outputs: Record<string, string>;
}

type Json = unknown;
interface RawTemplate {
  Parameters?: Record<string, { Default?: unknown }>;
  Conditions?: Record<string, Json>;
  Resources: Record<string, { Type: string; Condition?: string; Properties?: Json }>;
  Outputs?: Record<string, { Value: Json; Condition?: string }>;
}

export function readTemplate(name: string): RawTemplate {
  return JSON.parse(readFileSync(join(repoRoot, 'cloudformation', name), 'utf8')) as RawTemplate;
}

export function renderTemplate(
  template: RawTemplate,
  overrides: Record<string, string> = {},
  sample: Sample = SAMPLE,
): RenderedTemplate {
  const parameters: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    const value = overrides[name] ?? parameter.Default;
    if (value === undefined) throw new Error(`render: parameter ${name} has no default; pass one`);
    parameters[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  const context = new RenderContext(template, parameters, sample);
  const resources: Record<string, RenderedResource> = {};
  for (const logicalId of context.liveResources()) {
    const properties = context.resolve(template.Resources[logicalId]!.Properties ?? {});
    resources[logicalId] = {
      ...context.physical(logicalId),
      logicalId,
      type: template.Resources[logicalId]!.Type,
      properties: properties as Record<string, unknown>,
      raw: template.Resources[logicalId] as Record<string, unknown>,
    };
  }
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition && !context.condition(output.Condition)) continue;
    outputs[name] = String(context.resolve(output.Value));
  }
  return { sample, parameters, resources, outputs };
}

class RenderContext {
  private readonly physicals = new Map<string, PhysicalResource>();

  constructor(
    private readonly template: RawTemplate,
    private readonly parameters: Record<string, string>,
    private readonly sample: Sample,
  ) {}

  liveResources(): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, resource]) => !resource.Condition || this.condition(resource.Condition))
      .map(([logicalId]) => logicalId);
  }

  condition(name: string): boolean {
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new Error(`render: unknown condition ${name}`);
    return this.resolve(definition) === true;
  }

  physical(logicalId: string): PhysicalResource {
    const cached = this.physicals.get(logicalId);
    if (cached) return cached;
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`render: no resource ${logicalId}`);
    const properties = this.resolve(resource.Properties ?? {}) as Record<string, unknown>;
    const physical = physicalResource(resource.Type, logicalId, properties, this.sample);
    this.physicals.set(logicalId, physical);
    return physical;
  }

  resolve(value: Json): Json {
    // As in CloudFormation, an item that resolves to AWS::NoValue is left out of its list.
    if (Array.isArray(value))
      return value.map((item) => this.resolve(item)).filter((item) => item !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    const [key, argument] = entries[0] ?? [];
    if (entries.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::')))
      return this.intrinsic(key, argument);
    return Object.fromEntries(
      entries
        .map(([name, item]) => [name, this.resolve(item)] as const)
        .filter(([, item]) => item !== NO_VALUE),
    );
  }

  private intrinsic(name: string, argument: Json): Json {
    const args = () => this.resolve(argument) as Json[];
    switch (name) {
      case 'Ref':
        return this.ref(argument as string);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = argument as [string, string];
        return this.attribute(logicalId, attribute);
      }
      case 'Fn::Sub':
        return this.sub(argument);
      case 'Fn::Join': {
        const [separator, items] = args() as [string, Json[]];
        return items.join(separator);
      }
      case 'Fn::Select': {
        const [index, items] = args() as [number | string, Json[]];
        return items[Number(index)];
      }
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((zone) => `${this.sample.region}${zone}`);
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = argument as [string, Json, Json];
        return this.resolve(this.condition(condition) ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        const [left, right] = args();
        return String(left) === String(right);
      }
      case 'Fn::Not':
        return !(args()[0] as boolean);
      case 'Fn::And':
        return args().every(Boolean);
      case 'Fn::Or':
        return args().some(Boolean);
      case 'Fn::Base64':
        return Buffer.from(String(this.resolve(argument))).toString('base64');
      case 'Fn::Split': {
        const [separator, text] = args() as [string, string];
        return text.split(separator);
      }
      default:
        throw new Error(
          `render: intrinsic ${name} is not supported; add it to tests/iam/render.ts`,
        );
    }
  }

  private ref(name: string): Json {
    const pseudo: Record<string, Json> = {
      'AWS::AccountId': this.sample.account,
      'AWS::Region': this.sample.region,
      'AWS::Partition': this.sample.partition,
      'AWS::StackName': this.sample.stackName,
      'AWS::StackId': stackId(this.sample),
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::NoValue': NO_VALUE,
    };
    if (name in pseudo) return pseudo[name];
    if (name in this.parameters) return this.parameters[name];
    return this.physical(name).ref;
  }

  private attribute(logicalId: string, attribute: string): string {
    const value = this.physical(logicalId).attributes[attribute];
    if (value === undefined)
      throw new Error(
        `render: no attribute ${logicalId}.${attribute}; add it in tests/iam/physical.ts`,
      );
    return value;
  }

  private sub(argument: Json): string {
    const [text, variables] = (Array.isArray(argument) ? argument : [argument, {}]) as [
      string,
      Record<string, Json>,
    ];
    return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
      if (name in variables) return String(this.resolve(variables[name]));
      const [logicalId, attribute] = name.split(/\.(.+)/);
      if (attribute !== undefined) return this.attribute(logicalId!, attribute);
      return String(this.ref(name));
    });
  }
}

const NO_VALUE = Symbol('AWS::NoValue');
