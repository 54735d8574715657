import { parse } from 'yaml';

export interface ParsedTemplate {
  readonly body: string;
  /** The names of the template's parameters. */
  readonly parameters: ReadonlySet<string>;
  /** Logical ids and types of the resources, in template order. */
  readonly resources: readonly { readonly logicalId: string; readonly type: string }[];
  readonly isJson: boolean;
  /**
   * What CloudFormation resolves only when it deploys (SSM-typed parameters, dynamic references,
   * transforms, nested stacks): the same template and parameters can still change the stack.
   */
  readonly resolvedAtDeploy: readonly string[];
}

interface TemplateDocument {
  Transform?: unknown;
  Resources?: Record<string, { Type?: unknown } | null>;
  Parameters?: Record<string, { Type?: unknown } | null>;
}

const NESTED_STACK_TYPES = new Set(['AWS::CloudFormation::Stack', 'AWS::Serverless::Application']);

/** Reads a JSON or YAML template (YAML short-form tags such as !Ref are tolerated). */
export function parseTemplate(body: string): ParsedTemplate {
  const isJson = body.trimStart().startsWith('{');
  const document = (
    isJson ? JSON.parse(body) : parse(body, { logLevel: 'silent' })
  ) as TemplateDocument | null;
  if (!document || typeof document !== 'object' || typeof document.Resources !== 'object') {
    throw new Error('it has no Resources section');
  }
  const parameters = new Set(Object.keys(document.Parameters ?? {}));
  const resources = Object.entries(document.Resources).map(([logicalId, spec]) => ({
    logicalId,
    type: typeof spec?.Type === 'string' ? spec.Type : '?',
  }));
  return {
    body,
    parameters,
    resources,
    isJson,
    resolvedAtDeploy: resolvedAtDeploy(document, body),
  };
}

function resolvedAtDeploy(document: TemplateDocument, body: string): string[] {
  const reasons: string[] = [];
  for (const [name, spec] of Object.entries(document.Parameters ?? {}))
    if (typeof spec?.Type === 'string' && spec.Type.startsWith('AWS::SSM::Parameter::Value<'))
      reasons.push(`SSM-typed parameter ${name}`);
  if (body.includes('{{resolve:')) reasons.push('dynamic references ({{resolve:…}})');
  if (document.Transform !== undefined || /Fn::Transform|!Transform\b/.test(body))
    reasons.push('transforms');
  for (const resource of Object.values(document.Resources ?? {}))
    if (typeof resource?.Type === 'string' && NESTED_STACK_TYPES.has(resource.Type)) {
      reasons.push('nested stacks');
      break;
    }
  return reasons;
}

/** The template body to send: minified when that brings a JSON template under the inline limit. */
export function compactBody(template: ParsedTemplate, limit: number): string {
  if (Buffer.byteLength(template.body) <= limit || !template.isJson) return template.body;
  return JSON.stringify(JSON.parse(template.body));
}

/** Two template bodies say the same thing (JSON compared parsed, so formatting does not count). */
export function sameTemplate(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a.trim() === b.trim();
  }
}
