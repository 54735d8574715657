import { Document, isAlias, parseDocument, visit } from 'yaml';

/**
 * The AppSpec as the CodeDeploy agent reads it (aws-codedeploy-agent,
 * application_specification/*.rb): parsed by Ruby's Psych, which speaks YAML 1.1 (`yes`/`no` are
 * booleans, `0644` is octal) and, since Psych 4, refuses aliases and classes beyond the basic
 * ones; then validated with the agent's own messages.
 */

export type HookName = (typeof KNOWN_HOOKS)[number];

export interface HookScript {
  readonly location: string;
  readonly runas: string | undefined;
  readonly timeout: number;
}

export interface FileMapping {
  readonly source: string;
  readonly destination: string;
}

export interface AppSpec {
  readonly os: 'linux';
  readonly files: readonly FileMapping[];
  readonly hooks: Partial<Record<string, readonly HookScript[]>>;
  readonly fileExistsBehavior: FileExistsBehavior | undefined;
}

export type FileExistsBehavior = 'DISALLOW' | 'OVERWRITE' | 'RETAIN';
export const FILE_EXISTS_BEHAVIORS: readonly FileExistsBehavior[] = [
  'DISALLOW',
  'OVERWRITE',
  'RETAIN',
];

/** The agent's DEFAULT_ORDERED_LIFECYCLE_EVENTS: any other hook name fails the Install event. */
export const KNOWN_HOOKS = [
  'BeforeBlockTraffic',
  'AfterBlockTraffic',
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const;

export type InPlaceEvent = Exclude<HookName, `${string}Traffic`>;

/** The events of an in-place deployment without a load balancer, in order: no traffic events. */
export const IN_PLACE_EVENTS = KNOWN_HOOKS.filter(
  (name): name is InPlaceEvent => !name.endsWith('Traffic'),
);

/** CodeDeploy's documented limit for one script (the agent itself only refuses ≤ 0). */
const MAX_TIMEOUT_SECONDS = 3600;
const DEFAULT_TIMEOUT_SECONDS = 3600;

export class AppSpecError extends Error {}

/** Psych.load of Ruby ≥ 3.1 (safe_load): YAML 1.1, no aliases, no dates or other classes. */
export function loadYaml11(text: string): unknown {
  const document: Document = parseDocument(text, { version: '1.1', uniqueKeys: false });
  if (document.errors.length > 0) throw new AppSpecError(document.errors[0]!.message);
  visit(document, (_key, node) => {
    if (isAlias(node))
      throw new AppSpecError(
        'Alias parsing was not enabled. To enable it, pass `aliases: true` to `Psych::load` or `Psych::safe_load`.',
      );
  });
  const value: unknown = document.toJS();
  rejectClasses(value);
  return value;
}

function rejectClasses(value: unknown): void {
  if (value instanceof Date) throw new AppSpecError('Tried to load unspecified class: Date');
  if (Array.isArray(value)) value.forEach(rejectClasses);
  else if (value && typeof value === 'object') Object.values(value).forEach(rejectClasses);
}

export function parseAppSpec(text: string): AppSpec {
  const yaml = loadYaml11(text) as Record<string, unknown> | null | undefined;
  if (!yaml)
    throw new AppSpecError(
      "The deployment failed because the application specification file was empty. Make sure your AppSpec file defines at minimum the 'version' and 'os' properties.",
    );
  // Ruby compares with 0.0 == version: the number 0 passes, the string "0.0" does not.
  if (yaml.version !== 0)
    throw new AppSpecError(
      `The deployment failed because an invalid version value (${rubyString(yaml.version)}) was entered in the application specification file. Make sure your AppSpec file specifies "0.0" as the version, and then try again.`,
    );
  if (yaml.os !== 'linux')
    throw new AppSpecError(
      `The deployment failed because the application specification file specifies an unsupported operating system (${rubyString(yaml.os)}). Specify either "linux" or "windows" in the os section of the AppSpec file, and then try again.`,
    );
  return {
    os: 'linux',
    hooks: parseHooks(yaml.hooks ?? {}),
    files: parseFiles(yaml.files ?? []),
    fileExistsBehavior: parseFileExistsBehavior(yaml.file_exists_behavior),
  };
}

function parseHooks(hooks: unknown): Record<string, HookScript[]> {
  const parsed: Record<string, HookScript[]> = {};
  for (const [name, scripts] of Object.entries(hooks as Record<string, unknown>)) {
    if (!scripts) continue;
    parsed[name] = (scripts as Record<string, unknown>[]).map(parseScript);
  }
  return parsed;
}

function parseScript(script: Record<string, unknown>): HookScript {
  const location = script.location == null ? '' : rubyString(script.location).trim();
  if (location === '')
    throw new AppSpecError(
      'The deployment failed because the application specification file specifies a script with no location value. Specify the location in the hooks section of the AppSpec file, and then try again.',
    );
  const timeout = rubyToI(script.timeout ?? DEFAULT_TIMEOUT_SECONDS);
  if (timeout <= 0)
    throw new AppSpecError(
      'The deployment failed because an invalid timeout value was provided for a script in the application specification file. Make corrections in the hooks section of the AppSpec file, and then try again.',
    );
  if (timeout > MAX_TIMEOUT_SECONDS)
    throw new AppSpecError(
      `The timeout of ${location} is ${timeout} seconds; CodeDeploy allows at most ${MAX_TIMEOUT_SECONDS} seconds a script.`,
    );
  return {
    location,
    runas: script.runas == null ? undefined : rubyString(script.runas).trim(),
    timeout,
  };
}

function parseFiles(files: unknown): FileMapping[] {
  return (files as Record<string, unknown>[]).map((mapping) => {
    if (mapping.source == null)
      throw new AppSpecError(
        'The deployment failed because the application specification file specifies a destination file, but no source file. Update the files section of the AppSpec file, and then try again.',
      );
    if (mapping.destination == null)
      throw new AppSpecError(
        `The deployment failed because the application specification file specifies only a source file (${rubyString(mapping.source)}). Add the name of the destination file to the files section of the AppSpec file, and then try again.`,
      );
    return { source: rubyString(mapping.source), destination: rubyString(mapping.destination) };
  });
}

function parseFileExistsBehavior(value: unknown): FileExistsBehavior | undefined {
  if (value == null) return undefined;
  if (!FILE_EXISTS_BEHAVIORS.includes(value as FileExistsBehavior))
    throw new AppSpecError(
      `The deployment failed because an invalid file_exists_behavior value (${rubyString(value)}) was entered in the application specification file. Make sure your AppSpec file specifies one of DISALLOW,OVERWRITE,RETAIN as the file_exists_behavior, and then try again.`,
    );
  return value as FileExistsBehavior;
}

/** The agent's check at Install: every hook name must be a lifecycle event it knows. */
export function unknownHooks(spec: AppSpec): string[] {
  return Object.keys(spec.hooks).filter(
    (name) => !(KNOWN_HOOKS as readonly string[]).includes(name),
  );
}

/** Ruby's Array#inspect of strings, as the agent's message shows the unknown names. */
export function rubyInspect(names: readonly string[]): string {
  return `[${names.map((name) => JSON.stringify(name)).join(', ')}]`;
}

function rubyString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Ruby's to_i: leading integer digits of a string, the integer part of a number, else 0. */
function rubyToI(value: unknown): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string') return Number.parseInt(value.trim(), 10) || 0;
  return 0;
}
