import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Capability, OnStackFailure, Tag } from '@aws-sdk/client-cloudformation';
import { ConfigurationError } from '../../shared/errors';
import {
  readBoolean,
  readBucketName,
  readChoice,
  readInteger,
  readLines,
  readRoleArn,
  readString,
  readStackName,
} from '../../shared/inputs';
import type { ActionIO } from '../../shared/io';
import { parseParameterOverrides } from './parameters';
import { readDeploymentMode, type DeploymentMode } from './deployment-mode';
import { compactBody, parseTemplate, type ParsedTemplate } from './template';

/**
 * deploy: create and execute a change set. preview (execute: false): describe it, then delete
 * it, changing nothing else. create-only: leave it for review. execute-reviewed
 * (execute-change-set-id): execute exactly the change set someone reviewed.
 */
export type Mode = 'deploy' | 'preview' | 'create-only' | 'execute-reviewed';

export interface CfnDeployInputs {
  readonly stackName: string;
  readonly templatePath: string;
  readonly template: ParsedTemplate;
  readonly parameterOverrides: ReadonlyMap<string, string>;
  readonly capabilities: readonly Capability[];
  readonly tags: readonly Tag[];
  readonly terminationProtection: boolean;
  readonly mode: Mode;
  readonly reviewedChangeSetId: string;
  readonly roleArn: string;
  readonly onFailure: OnStackFailure;
  readonly disableRollback: boolean;
  /** undefined: not given, the stack keeps the topics it has. */
  readonly notificationArns: readonly string[] | undefined;
  readonly failOnEmptyChangeSet: boolean;
  /** Where a template too big to send inline goes; undefined when none was given. */
  readonly templateBucket: { readonly bucket: string; readonly prefix: string } | undefined;
  readonly timeoutMinutes: number;
  readonly githubToken: string;
  /** REVERT_DRIFT: a drift-aware change set on the deployed template (revert-drift.ts). */
  readonly deploymentMode: DeploymentMode;
}

type Reader = Pick<ActionIO, 'getInput'>;

/** CloudFormation's limit for a template sent inline (TemplateBody). */
export const INLINE_TEMPLATE_LIMIT = 51_200;
const CAPABILITIES: readonly Capability[] = [
  'CAPABILITY_IAM',
  'CAPABILITY_NAMED_IAM',
  'CAPABILITY_AUTO_EXPAND',
];
const ON_FAILURE: readonly OnStackFailure[] = ['ROLLBACK', 'DELETE', 'DO_NOTHING'];
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;
const CHANGE_SET_ARN =
  /^arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\d{12}:changeSet\/[A-Za-z][A-Za-z0-9-]{0,127}\/[A-Za-z0-9-]+$/;
const S3_PREFIX = /^(?!\/)(?!.*\.\.)[A-Za-z0-9!_.*'()/-]{0,512}$/;

export function getInputs(io: Reader, workspace: string): CfnDeployInputs {
  const stackName = readStackName(io, 'stack-name');
  const templatePath = readString(io, 'template', {
    fallback: 'cloudformation/anomaly-detection.json',
  });
  const template = readTemplate(resolve(workspace, templatePath), templatePath);
  return {
    stackName,
    templatePath,
    template,
    parameterOverrides: readParameterOverrides(io, workspace, template, templatePath),
    capabilities: readCapabilities(io),
    tags: readTags(io),
    terminationProtection: readBoolean(io, 'termination-protection', false),
    ...readMode(io),
    roleArn: readRoleArn(io, 'role-arn'),
    onFailure: readOnFailure(io),
    disableRollback: readBoolean(io, 'disable-rollback', false),
    notificationArns: readNotificationArns(io),
    failOnEmptyChangeSet: readBoolean(io, 'fail-on-empty-changeset', false),
    templateBucket: readTemplateBucket(io, template, templatePath),
    timeoutMinutes: readInteger(io, 'timeout-minutes', { fallback: 30, min: 1, max: 360 }),
    githubToken: readString(io, 'github-token'),
    deploymentMode: readDeploymentMode(io),
  };
}

function readTemplate(path: string, shown: string): ParsedTemplate {
  if (!existsSync(path)) throw new ConfigurationError(`Input "template": ${shown} does not exist.`);
  try {
    return parseTemplate(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(
      `Input "template": ${shown} is not a valid template: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function readParameterOverrides(
  io: Reader,
  workspace: string,
  template: ParsedTemplate,
  templatePath: string,
): Map<string, string> {
  const overrides = parseParameterOverrides(readLines(io, 'parameter-overrides'), workspace);
  for (const key of overrides.keys()) {
    if (!template.parameters.has(key)) {
      throw new ConfigurationError(
        `Input "parameter-overrides": ${key} is not a parameter of ${templatePath} (it has: ${[...template.parameters.keys()].join(', ') || 'none'}).`,
      );
    }
  }
  return overrides;
}

function readMode(io: Reader): { mode: Mode; reviewedChangeSetId: string } {
  const execute = readBoolean(io, 'execute', true);
  const createOnly = readBoolean(io, 'create-only', false);
  const reviewedChangeSetId = readString(io, 'execute-change-set-id');
  if (reviewedChangeSetId) {
    if (!CHANGE_SET_ARN.test(reviewedChangeSetId))
      throw new ConfigurationError(
        `Input "execute-change-set-id": "${reviewedChangeSetId}" is not a change set ARN (the change-set-id output of a create-only run).`,
      );
    if (!execute || createOnly)
      throw new ConfigurationError(
        'Input "execute-change-set-id" executes a change set: it cannot go with execute: false or create-only: true.',
      );
    return { mode: 'execute-reviewed', reviewedChangeSetId };
  }
  if (createOnly && !execute)
    throw new ConfigurationError(
      'Inputs "create-only" and "execute": false deletes the change set, create-only keeps it for review; choose one.',
    );
  return { mode: createOnly ? 'create-only' : execute ? 'deploy' : 'preview', reviewedChangeSetId };
}

function readCapabilities(io: Reader): Capability[] {
  const raw = readString(io, 'capabilities', { fallback: 'CAPABILITY_NAMED_IAM' });
  return raw
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((value) => {
      const capability = CAPABILITIES.find((known) => known === value.toUpperCase());
      if (!capability)
        throw new ConfigurationError(
          `Input "capabilities": "${value}" is not one of ${CAPABILITIES.join(', ')}.`,
        );
      return capability;
    });
}

function readTags(io: Reader): Tag[] {
  return readLines(io, 'tags').map((line) => {
    const separator = line.indexOf('=');
    if (separator < 1)
      throw new ConfigurationError(`Input "tags": "${line}" is not a Key=Value line.`);
    const Key = line.slice(0, separator).trim();
    const Value = line.slice(separator + 1).trim();
    if (Key.startsWith('aws:'))
      throw new ConfigurationError(`Input "tags": ${Key} uses the reserved aws: prefix.`);
    return { Key, Value };
  });
}

function readOnFailure(io: Reader): OnStackFailure {
  return readChoice(io, 'on-failure', ON_FAILURE, 'DELETE', { upperCase: true });
}

function readNotificationArns(io: Reader): string[] | undefined {
  const arns = readLines(io, 'notification-arns').flatMap((line) =>
    line
      .split(',')
      .map((arn) => arn.trim())
      .filter(Boolean),
  );
  if (arns.length === 0) return undefined;
  const bad = arns.find((arn) => !SNS_TOPIC_ARN.test(arn));
  if (bad)
    throw new ConfigurationError(`Input "notification-arns": "${bad}" is not an SNS topic ARN.`);
  if (arns.length > 5)
    throw new ConfigurationError(
      `Input "notification-arns": ${arns.length} topics given; CloudFormation takes at most 5.`,
    );
  return arns;
}

/** Checked here, before any AWS call: a template too big to send inline needs a bucket. */
function readTemplateBucket(
  io: Reader,
  template: ParsedTemplate,
  templatePath: string,
): CfnDeployInputs['templateBucket'] {
  const bucket = readBucketName(io, 's3-bucket');
  const prefix = readString(io, 's3-prefix', { fallback: 'cloudformation/' });
  if (!S3_PREFIX.test(prefix))
    throw new ConfigurationError(
      `Input "s3-prefix": "${prefix}" is not a usable key prefix (no leading "/", no "..", at most 512 characters).`,
    );
  const size = Buffer.byteLength(compactBody(template, INLINE_TEMPLATE_LIMIT));
  if (!bucket && size > INLINE_TEMPLATE_LIMIT)
    throw new ConfigurationError(
      `Input "template": ${templatePath} is ${size} bytes, over CloudFormation's ${INLINE_TEMPLATE_LIMIT}-byte inline limit even minified; give an existing bucket in "s3-bucket" to upload it to.`,
    );
  return bucket ? { bucket, prefix } : undefined;
}
