import { parse } from 'yaml';

export interface ParsedTemplate {
  readonly body: string;
  /** Parameter names and their defaults (undefined: none). */
  readonly parameters: ReadonlyMap<string, string | undefined>;
  readonly isJson: boolean;
}

/** Reads a JSON or YAML template (YAML short-form tags such as !Ref are tolerated). */
export function parseTemplate(body: string): ParsedTemplate {
  const isJson = body.trimStart().startsWith('{');
  const document = (isJson ? JSON.parse(body) : parse(body, { logLevel: 'silent' })) as {
    Resources?: unknown;
    Parameters?: Record<string, { Default?: unknown }>;
  } | null;
  if (!document || typeof document !== 'object' || typeof document.Resources !== 'object') {
    throw new Error('it has no Resources section');
  }
  const parameters = new Map(
    Object.entries(document.Parameters ?? {}).map(([name, spec]) => [
      name,
      spec.Default === undefined ? undefined : String(spec.Default as string | number),
    ]),
  );
  return { body, parameters, isJson };
}

/** The template body to send: minified when that brings a JSON template under the inline limit. */
export function compactBody(template: ParsedTemplate, limit: number): string {
  if (Buffer.byteLength(template.body) <= limit || !template.isJson) return template.body;
  return JSON.stringify(JSON.parse(template.body));
}

/** The 1-based line where a resource's logical id is declared, for annotations. */
export function lineOfLogicalId(body: string, logicalId: string): number | undefined {
  const escaped = logicalId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\s*(?:"${escaped}"\\s*:|${escaped}\\s*:)`);
  const index = body.split('\n').findIndex((line) => pattern.test(line));
  return index === -1 ? undefined : index + 1;
}

/** Two template bodies say the same thing (JSON compared parsed, so formatting does not count). */
export function sameTemplate(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a.trim() === b.trim();
  }
}
