import type { CreateChangeSetCommandInput, Parameter, Stack } from '@aws-sdk/client-cloudformation';
import { uploadContentAddressed } from '../../shared/s3-upload';
import type { Invocation } from './deps';
import { INLINE_TEMPLATE_LIMIT, type CfnDeployInputs } from './inputs';
import { compactBody } from './template';

export type ChangeSetType = 'CREATE' | 'UPDATE';

/**
 * The change set this run asks for. Stack tags are only the user's, so they stay the same from
 * commit to commit; the commit and the run that made the change set go in its Description.
 */
export async function changeSetRequest(
  invocation: Invocation,
  type: ChangeSetType,
  stack: Stack | undefined,
): Promise<CreateChangeSetCommandInput> {
  const { deps, inputs } = invocation;
  const name = `gh-${deps.run.sha.slice(0, 12)}-${deps.clock.now().toString(36)}`.replace(
    /[^A-Za-z0-9-]/g,
    '-',
  );
  return {
    StackName: inputs.stackName,
    ChangeSetName: name,
    ChangeSetType: type,
    Description: `${deps.run.repository}@${deps.run.sha.slice(0, 12)} ${deps.run.runUrl}`.slice(
      0,
      1024,
    ),
    ...(await templateSource(invocation)),
    Parameters: parametersFor(inputs, stack),
    Capabilities: [...inputs.capabilities],
    Tags: [...inputs.tags],
    ...(inputs.roleArn ? { RoleARN: inputs.roleArn } : {}),
    ...(inputs.notificationArns ? { NotificationARNs: [...inputs.notificationArns] } : {}),
    // on-failure (default DELETE): a new stack whose creation fails need never wedge.
    ...(type === 'CREATE' ? { OnStackFailure: inputs.onFailure } : {}),
  };
}

/** Overrides as given; parameters the stack already has keep their value; the rest take defaults. */
function parametersFor(inputs: CfnDeployInputs, stack: Stack | undefined): Parameter[] {
  const existing = new Set((stack?.Parameters ?? []).map((parameter) => parameter.ParameterKey));
  return [...inputs.template.parameters.keys()].flatMap((key): Parameter[] => {
    const value = inputs.parameterOverrides.get(key);
    if (value !== undefined) return [{ ParameterKey: key, ParameterValue: value }];
    return existing.has(key) ? [{ ParameterKey: key, UsePreviousValue: true }] : [];
  });
}

/**
 * Inline when it fits (minified if need be); otherwise uploaded, content-addressed, to the
 * s3-bucket input (the inputs made sure there is one), and given by its regional URL.
 */
async function templateSource(
  invocation: Invocation,
): Promise<{ TemplateBody: string } | { TemplateURL: string }> {
  const { deps, inputs } = invocation;
  const body = compactBody(inputs.template, INLINE_TEMPLATE_LIMIT);
  if (Buffer.byteLength(body) <= INLINE_TEMPLATE_LIMIT || !inputs.templateBucket)
    return { TemplateBody: body };
  const object = await uploadContentAddressed(
    deps.s3,
    { ...inputs.templateBucket, extension: inputs.template.isJson ? '.json' : '.yaml' },
    body,
  );
  deps.io.info(
    `Template is ${Buffer.byteLength(body)} bytes, over the ${INLINE_TEMPLATE_LIMIT}-byte inline limit: ${object.uploaded ? 'uploaded to' : 'already at'} s3://${object.bucket}/${object.key}.`,
  );
  return { TemplateURL: object.url };
}
