import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../local-pipeline/emulator/tools';

export interface Resource {
  readonly Type: string;
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface Template {
  readonly Parameters: Record<string, { Type: string; Default?: unknown }>;
  readonly Resources: Record<string, Resource>;
  readonly Outputs: Record<string, { Value: unknown; Condition?: string }>;
}

export function loadTemplate(name: string): Template {
  return JSON.parse(readFileSync(join(repoRoot, 'cloudformation', name), 'utf8')) as Template;
}

export function resourcesOfType(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export function onlyResourceOfType(template: Template, type: string): Resource {
  const found = resourcesOfType(template, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]![1];
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

/** Every IAM policy statement in the template: roles' inline policies, key, queue and bucket policies. */
export function policyStatements(template: Template): { resource: string; statement: Statement }[] {
  const found: { resource: string; statement: Statement }[] = [];
  for (const [name, resource] of Object.entries(template.Resources)) {
    const properties = resource.Properties ?? {};
    const documents = [
      ...(
        (properties.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []
      ).map((policy) => policy.PolicyDocument),
      properties.KeyPolicy,
      properties.PolicyDocument,
    ].filter(Boolean) as { Statement: Statement[] }[];
    for (const document of documents)
      for (const statement of document.Statement) found.push({ resource: name, statement });
  }
  return found;
}

export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
