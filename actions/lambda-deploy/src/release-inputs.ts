import { ConfigurationError } from '../../shared/errors';
import { readBoolean, readInteger, readString } from '../../shared/inputs';
import type { ActionIO } from '../../shared/io';

/** How traffic moves from the alias's version to the new one. */
export type TrafficShift = { readonly kind: 'all-at-once' } | CodeDeployShift;

/** Through a CodeDeploy deployment, which moves the alias's weights step by step. */
export interface CodeDeployShift {
  readonly kind: 'codedeploy';
  /** A CodeDeployDefault.Lambda* configuration, or the one this action creates for own weights. */
  readonly configName: string;
  readonly custom: CustomWeights | undefined;
  /** How long the shift takes when nothing goes wrong. */
  readonly minutes: number;
}

export interface CustomWeights {
  readonly type: 'TimeBasedCanary' | 'TimeBasedLinear';
  readonly percentage: number;
  readonly intervalMinutes: number;
}

export interface ReleaseInputs {
  readonly alias: string;
  /** Release this published version (a rollback) instead of the code this run deploys. */
  readonly version: string | undefined;
  readonly trafficShift: TrafficShift;
  readonly deploymentApplication: string;
  readonly deploymentGroup: string;
  readonly preTrafficCheck: boolean;
  readonly timeoutMinutes: number;
}

type InputReader = Pick<ActionIO, 'getInput'>;

const ALIAS = /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/;
const VERSION = /^[1-9][0-9]{0,9}$/;
const DEPLOYMENT_NAME = /^[A-Za-z0-9._+=,@-]{1,100}$/;

/** CodeDeploy's predefined Lambda configurations and how long each shift takes. */
export const PREDEFINED_MINUTES: Readonly<Record<string, number>> = {
  'CodeDeployDefault.LambdaAllAtOnce': 0,
  'CodeDeployDefault.LambdaCanary10Percent5Minutes': 5,
  'CodeDeployDefault.LambdaCanary10Percent10Minutes': 10,
  'CodeDeployDefault.LambdaCanary10Percent15Minutes': 15,
  'CodeDeployDefault.LambdaCanary10Percent30Minutes': 30,
  'CodeDeployDefault.LambdaLinear10PercentEvery1Minute': 10,
  'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes': 20,
  'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes': 30,
  'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes': 100,
};
const OWN_WEIGHTS = /^(canary|linear):(\d{1,2}):(\d{1,4})$/;

/** The release inputs; undefined when no `alias` is given (the action only deploys code). */
export function readRelease(io: InputReader): ReleaseInputs | undefined {
  const alias = readString(io, 'alias');
  const version = readString(io, 'version');
  if (!alias) {
    if (version)
      throw new ConfigurationError('Input "version" needs "alias": the alias to point at it.');
    return undefined;
  }
  if (!ALIAS.test(alias))
    throw new ConfigurationError(`Input "alias": "${alias}" is not a Lambda alias name.`);
  if (version && !VERSION.test(version))
    throw new ConfigurationError(
      `Input "version": "${version}" is not a published version number ($LATEST cannot be released).`,
    );
  const trafficShift = readTrafficShift(io);
  const timeoutMinutes = readInteger(io, 'timeout-minutes', { fallback: 60, min: 1, max: 360 });
  if (trafficShift.kind === 'codedeploy' && trafficShift.minutes >= timeoutMinutes)
    throw new ConfigurationError(
      `Input "timeout-minutes": ${timeoutMinutes} is too short for "traffic-shift" ${trafficShift.configName}, which takes ${trafficShift.minutes} minutes.`,
    );
  return {
    alias,
    version: version || undefined,
    trafficShift,
    ...readDeploymentGroup(io, trafficShift),
    preTrafficCheck: readBoolean(io, 'pre-traffic-check', true),
    timeoutMinutes,
  };
}

function readTrafficShift(io: InputReader): TrafficShift {
  const raw = readString(io, 'traffic-shift', { fallback: 'all-at-once' });
  if (raw.toLowerCase() === 'all-at-once') return { kind: 'all-at-once' };
  const minutes = PREDEFINED_MINUTES[raw];
  if (minutes !== undefined)
    return { kind: 'codedeploy', configName: raw, custom: undefined, minutes };
  const own = OWN_WEIGHTS.exec(raw.toLowerCase());
  const percentage = Number(own?.[2]);
  const intervalMinutes = Number(own?.[3]);
  if (!own || percentage < 1 || percentage > 99 || intervalMinutes < 1)
    throw new ConfigurationError(
      `Input "traffic-shift" must be all-at-once, a CodeDeployDefault.Lambda* configuration (e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes), canary:<percent>:<minutes> or linear:<percent>:<minutes> (percent 1-99), not "${raw}".`,
    );
  const canary = own[1] === 'canary';
  const configName = canary
    ? `lambda-deploy.Canary${percentage}Percent${intervalMinutes}Minutes`
    : `lambda-deploy.Linear${percentage}PercentEvery${intervalMinutes}Minutes`;
  return {
    kind: 'codedeploy',
    configName,
    custom: { type: canary ? 'TimeBasedCanary' : 'TimeBasedLinear', percentage, intervalMinutes },
    minutes: canary ? intervalMinutes : Math.ceil(100 / percentage) * intervalMinutes,
  };
}

function readDeploymentGroup(
  io: InputReader,
  trafficShift: TrafficShift,
): { deploymentApplication: string; deploymentGroup: string } {
  const through = trafficShift.kind === 'codedeploy' ? trafficShift.configName : undefined;
  const names = ['deployment-application', 'deployment-group'].map((name) => {
    const value = readString(io, name);
    if (!value && through)
      throw new ConfigurationError(
        `Input "${name}" is required when "traffic-shift" goes through CodeDeploy (${through}).`,
      );
    if (value && !DEPLOYMENT_NAME.test(value))
      throw new ConfigurationError(`Input "${name}": "${value}" is not a CodeDeploy name.`);
    return value;
  });
  return { deploymentApplication: names[0] ?? '', deploymentGroup: names[1] ?? '' };
}
