import {
  GetAliasCommand,
  UpdateAliasCommand,
  type AliasConfiguration,
} from '@aws-sdk/client-lambda';
import { AwsOperationError, ConfigurationError, withContext } from '../../shared/errors';
import type { LambdaDeployDeps } from './deps';

/** Where an alias sends traffic: its version, and the share of any second version. */
export interface AliasState {
  readonly version: string;
  readonly weights: Readonly<Record<string, number>>;
}

export async function readAlias(
  deps: LambdaDeployDeps,
  functionName: string,
  alias: string,
): Promise<AliasState> {
  try {
    const found = await deps.lambda.send(
      new GetAliasCommand({ FunctionName: functionName, Name: alias }),
    );
    return stateOf(found);
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException')
      throw new ConfigurationError(
        `Input "alias": function ${functionName} has no alias "${alias}"; the stack creates it (the template's DetectorAlias) - deploy the stack first.`,
      );
    throw new AwsOperationError(`could not read alias ${alias} of ${functionName}`, error);
  }
}

function stateOf(alias: AliasConfiguration): AliasState {
  return {
    version: alias.FunctionVersion ?? '$LATEST',
    weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {},
  };
}

/** "version 4" or "90% version 3, 10% version 4". */
export function describeAlias(state: AliasState): string {
  const shares = Object.entries(state.weights).filter(([, weight]) => weight > 0);
  if (shares.length === 0) return `version ${state.version}`;
  const rest = 1 - shares.reduce((sum, [, weight]) => sum + weight, 0);
  const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;
  return [
    `${percent(rest)} version ${state.version}`,
    ...shares.map(([version, weight]) => `${percent(weight)} version ${version}`),
  ].join(', ');
}

export const isOnlyOn = (state: AliasState, version: string): boolean =>
  state.version === version && Object.values(state.weights).every((weight) => weight === 0);

/** Points the alias at one version with all the traffic (clearing any weights). */
export async function pointAlias(
  deps: LambdaDeployDeps,
  functionName: string,
  alias: string,
  version: string,
): Promise<void> {
  await withContext(`could not point alias ${alias} of ${functionName} at version ${version}`, () =>
    deps.lambda.send(
      new UpdateAliasCommand({
        FunctionName: functionName,
        Name: alias,
        FunctionVersion: version,
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    ),
  );
  deps.io.info(`Alias ${alias} now sends all traffic to version ${version}`);
}
