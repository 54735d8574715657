"""Runs moto's server (the same app as `moto_server`) on 127.0.0.1 on a free port.

Prints one JSON line {"port": N} once listening, then serves until its standard input closes.
The parent holds that pipe open, so the server goes away with its parent however the parent
ends (test failure, Ctrl-C, SIGKILL): no moto process outlives the run that started it.
"""

import copy
import json
import os
import sys
import threading

from moto.core.common_models import CloudFormationModel
from moto.server import ThreadedMotoServer
from moto.cloudformation import models as cloudformation_models
from moto.cloudformation import responses as cloudformation_responses
from moto.core.responses import ActionResult
from moto.cloudformation import parsing as cloudformation_parsing
from moto.awslambda import models as lambda_models
from moto.awslambda import utils as lambda_utils
from moto.ec2.models import ec2_backends
from moto.ec2.models import instances as instance_models
from moto.ec2.models import route_tables as route_table_models
from moto.iam import models as iam_models
from moto.kms import models as kms_models
from moto.ssm import models as ssm_models
from moto.core.utils import utcnow
from moto.utilities.utils import get_partition
from moto.dynamodb import responses as dynamodb_responses

# Emulator gap: moto serves the public SSM parameters of Amazon Linux AMIs but not Canonical's
# (/aws/service/canonical/ubuntu/...), which the stack's UbuntuAmiId parameter defaults to, and
# refuses writes under /aws/. Resolve those names, the way moto resolves its own public ones, to
# an Ubuntu AMI that moto's EC2 knows. Patching the class keeps it across /moto-api/reset.
UBUNTU_PREFIX = "/aws/service/canonical/ubuntu/"
EMULATOR_UBUNTU_AMI = "ami-785db401"
_load_public_parameters = ssm_models.ParameterDict._check_loading_status


def _load_with_ubuntu(self, key):
    _load_public_parameters(self, key)
    name = str(key or "")
    if name.startswith(UBUNTU_PREFIX) and not super(ssm_models.ParameterDict, self).get(name):
        super(ssm_models.ParameterDict, self).__getitem__(name).append(
            ssm_models.Parameter(
                account_id=self.account_id,
                name=name,
                value=EMULATOR_UBUNTU_AMI,
                parameter_type="String",
                description=None,
                allowed_pattern=None,
                keyid=None,
                last_modified_date=utcnow(),
                version=1,
                data_type="aws:ec2:image",
            )
        )


ssm_models.ParameterDict._check_loading_status = _load_with_ubuntu

# Emulator gap: executing a change set updates a stack's resources but not its template,
# parameters or Outputs (moto's plain UpdateStack does all three), so a stack created or
# updated through a change set shows no or stale Outputs (and tags). Finish the job the same way.
_apply_change_set = cloudformation_models.ChangeSet.apply


def _apply_and_refresh_outputs(self):
    _apply_change_set(self)
    stack = self.stack
    stack.template = self.template
    stack._parse_template()
    if self.parameters:
        stack.parameters = self.parameters
    # As CloudFormation does, the stack takes the change set's tags and notification topics too.
    stack.tags = self.tags or {}
    if self.notification_arns:
        stack.notification_arns = self.notification_arns
    stack.output_map = stack._create_output_map()


cloudformation_models.ChangeSet.apply = _apply_and_refresh_outputs

# Emulator gap: CloudFormation answers a change set that changes nothing (same template, same
# parameter values, same tags and topics) with a FAILED change set "didn't contain changes"; moto
# marks it so only when its raw parameter dict equals the one the stack was made with, which a
# UsePreviousValue or a number parameter never does, and answers CREATE_COMPLETE with no changes.
_create_change_set = cloudformation_models.CloudFormationBackend.create_change_set
NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set."


def _create_change_set_seeing_no_ops(self, *args, **kwargs):
    change_set_id, stack_id = _create_change_set(self, *args, **kwargs)
    change_set = self.change_sets[change_set_id]
    stack = change_set.stack
    if (
        change_set.change_set_type == "UPDATE"
        and change_set.status == "CREATE_COMPLETE"
        and stack.has_template(change_set.template)
        and all(str(stack.stack_parameters.get(key)) == str(value) for key, value in change_set.parameters.items())
        and (change_set.tags or {}) == (stack.tags or {})
        and sorted(change_set.notification_arns or []) == sorted(stack.notification_arns or [])
    ):
        change_set.status = "FAILED"
        change_set.execution_status = "UNAVAILABLE"
        change_set.status_reason = NO_CHANGES
    return change_set_id, stack_id


cloudformation_models.CloudFormationBackend.create_change_set = _create_change_set_seeing_no_ops

# Emulator gap: GetTemplate ignores ChangeSetName and answers with the stack's template, so the
# template a change set was made from cannot be read back, as cfn-deploy does before executing a
# reviewed change set. Answer with the change set's template, as CloudFormation does.
_get_template_response = cloudformation_responses.CloudFormationResponse.get_template


def _get_template_of_change_set(self):
    change_set_name = self._get_param("ChangeSetName")
    if not change_set_name:
        return _get_template_response(self)
    change_set = self.cloudformation_backend.describe_change_set(change_set_name)
    return ActionResult({"TemplateBody": change_set.template})


cloudformation_responses.CloudFormationResponse.get_template = _get_template_of_change_set

# Emulator gap: for an SSM-typed parameter given with UsePreviousValue, moto hands the previously
# *resolved* value (an AMI id) back to its SSM lookup, which fails with a 500. CloudFormation keeps
# the parameter path and resolves it again; a value that is not a path is already resolved.
_parse_ssm_parameter = cloudformation_parsing.ResourceMap.parse_ssm_parameter


def _parse_ssm_parameter_or_resolved(self, value, value_type):
    if isinstance(value, str) and not value.startswith("/"):
        return value.split(",") if value_type.find("List") > 0 else value
    return _parse_ssm_parameter(self, value, value_type)


cloudformation_parsing.ResourceMap.parse_ssm_parameter = _parse_ssm_parameter_or_resolved

# Emulator gap: with Lambda in no-Docker mode, moto's Lambda API serves the "simple" backend, but
# its CloudFormation hooks write to the Docker one, so functions a stack creates are invisible to
# the API (GetFunction: not found). Route the hooks to the backend the API uses.
class _ConfiguredLambdaBackends:
    def __getitem__(self, account_id):
        return _ConfiguredLambdaRegions(account_id)


class _ConfiguredLambdaRegions:
    def __init__(self, account_id):
        self.account_id = account_id

    def __getitem__(self, region_name):
        return lambda_utils.get_backend(self.account_id, region_name)


lambda_models.lambda_backends = _ConfiguredLambdaBackends()

# Emulator gap: on every stack update moto re-applies a function's Code, even when unchanged, and
# reads an inline ZipFile as if it were base64 zip data (a 500). CloudFormation updates the code
# only when the template's Code property changes, so code deployed since (lambda-deploy) stays.
_create_function = lambda_models.LambdaFunction.create_from_cloudformation_json.__func__
_update_function = lambda_models.LambdaFunction.update_from_cloudformation_json.__func__


def _create_function_remembering_code(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    code = copy.deepcopy(cloudformation_json["Properties"].get("Code"))  # moto rewrites it in place
    function = _create_function(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    function._template_code = code
    return function


def _update_function_when_code_changes(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    properties = cloudformation_json["Properties"]
    if properties.get("Code") != getattr(original_resource, "_template_code", None):
        code = copy.deepcopy(properties.get("Code"))
        function = _update_function(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        function._template_code = code
        return function
    original_resource.update_configuration(properties)
    return original_resource


lambda_models.LambdaFunction.create_from_cloudformation_json = classmethod(_create_function_remembering_code)

# Emulator gap: an instance created from a template gets a primary network interface that moto
# keeps after the instance terminates; on AWS the primary interface created with an instance is
# deleted with it. The leftover interface would block deleting the stack's subnet and VPC.
_terminate = instance_models.Instance.terminate


def _terminate_with_primary_interface(self):
    for device_index, nic in self.nics.items():
        if int(device_index) == 0:
            nic.delete_on_termination = True
    return _terminate(self)


instance_models.Instance.terminate = _terminate_with_primary_interface

# Emulator gap: moto cannot delete an AWS::EC2::RouteTable of a stack (it has no delete hook), so
# the stack's VPC keeps a route table and cannot be deleted. Delete it as CloudFormation would.
def _delete_route_table(cls, resource_name, cloudformation_json, account_id, region_name):
    backend = ec2_backends[account_id][region_name]
    if resource_name in backend.route_tables:
        backend.delete_route_table(resource_name)


route_table_models.RouteTable.delete_from_cloudformation_json = classmethod(_delete_route_table)

# Emulator gap: a template's AWS::KMS::Key Tags are {Key, Value} pairs, but moto hands them to its
# KMS API as they are, which expects {TagKey, TagValue}, and fails. Convert them as AWS does.
_create_key = kms_models.Key.create_from_cloudformation_json.__func__


def _create_key_with_template_tags(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    properties = cloudformation_json["Properties"]
    if "Tags" in properties:
        properties = {
            **properties,
            "Tags": [{"TagKey": tag["Key"], "TagValue": tag["Value"]} for tag in properties["Tags"]],
        }
        cloudformation_json = {**cloudformation_json, "Properties": properties}
    return _create_key(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)


kms_models.Key.create_from_cloudformation_json = classmethod(_create_key_with_template_tags)


# Emulator gap: moto skips AWS::CodeDeploy::* in templates, so Refs and Outputs naming them come
# back empty. These name-only models make them resolve to their names, as in AWS; the CodeDeploy
# API itself is played by local-pipeline/codedeploy/codedeploy-standin.ts.
class _NamedResource:
    """Shared behaviour; each model below must subclass CloudFormationModel directly, because
    moto finds models with CloudFormationModel.__subclasses__()."""

    name_property = ""

    def __init__(self, name):
        self.name = name

    @property
    def physical_resource_id(self):
        return self.name

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        return cls(cloudformation_json.get("Properties", {}).get(cls.name_property) or resource_name)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        return None


class _CodeDeployApplication(_NamedResource, CloudFormationModel):
    __module__ = "moto.codedeploy.models"  # moto's model metaclass reads the service from this
    name_property = "ApplicationName"

    @staticmethod
    def cloudformation_type():
        return "AWS::CodeDeploy::Application"

    @staticmethod
    def cloudformation_name_type():
        return "ApplicationName"


class _CodeDeployDeploymentGroup(_NamedResource, CloudFormationModel):
    __module__ = "moto.codedeploy.models"
    name_property = "DeploymentGroupName"

    @staticmethod
    def cloudformation_type():
        return "AWS::CodeDeploy::DeploymentGroup"

    @staticmethod
    def cloudformation_name_type():
        return "DeploymentGroupName"
lambda_models.LambdaFunction.update_from_cloudformation_json = classmethod(_update_function_when_code_changes)

# Emulator gap: moto's CloudFormation skips AWS::IAM::OIDCProvider (a warning; Ref is empty), so
# a bootstrap stack never creates the account's GitHub OIDC provider and `npm run bootstrap`,
# which looks for one before deciding CreateOidcProvider, would never find it. Create and delete
# the provider in moto's IAM, as CloudFormation does; Ref answers its ARN.
class _OidcProvider(CloudFormationModel):
    __module__ = "moto.iam.models"

    def __init__(self, arn):
        self.arn = arn

    @property
    def physical_resource_id(self):
        return self.arn

    @staticmethod
    def cloudformation_type():
        return "AWS::IAM::OIDCProvider"

    @staticmethod
    def cloudformation_name_type():
        return ""

    @staticmethod
    def _iam(account_id, region_name):
        return iam_models.iam_backends[account_id][get_partition(region_name)]

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json.get("Properties", {})
        provider = cls._iam(account_id, region_name).create_open_id_connect_provider(
            url=properties["Url"],
            thumbprint_list=properties.get("ThumbprintList", []),
            client_id_list=properties.get("ClientIdList", []),
            tags=properties.get("Tags", []),
        )
        return cls(provider.arn)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        return original_resource

    def delete(self, account_id, region_name):
        self._iam(account_id, region_name).delete_open_id_connect_provider(self.arn)


# Emulator gap: moto's threaded server runs DynamoDB requests at once on shared items with no
# lock, so two concurrent conditional writes can both pass their condition; DynamoDB applies
# each item write atomically. The detector's concurrent invocations rely on that (device
# versions, the topic's alert budget), so requests are served one at a time, as if atomic.
_dynamodb_lock = threading.Lock()
_dynamodb_call_action = dynamodb_responses.DynamoHandler.call_action


def _call_action_atomically(self):
    with _dynamodb_lock:
        return _dynamodb_call_action(self)


dynamodb_responses.DynamoHandler.call_action = _call_action_atomically

# Emulator gap: when an update modifies a resource whose type moto cannot update (no
# update_from_cloudformation_json, e.g. AWS::KMS::Key), moto replaces it in the stack's resource map
# with None, and every later Fn::GetAtt on it fails ("references undefined resource"). It happens
# as soon as a parameter the resource reads changes (EnvironmentName, FunctionName in the key
# policy). CloudFormation updates such a resource in place; keep the resource as it is (its new
# properties are not applied: for the key that is its policy, which moto does not evaluate).
_parse_and_update_resource = cloudformation_parsing.parse_and_update_resource


def _keep_resources_moto_cannot_update(logical_id, resource_json, resources_map, account_id, region_name):
    updated = _parse_and_update_resource(logical_id, resource_json, resources_map, account_id, region_name)
    condition = resource_json.get("Condition")
    still_wanted = condition is None or resources_map.lazy_condition_map[condition]
    if updated is None and still_wanted and logical_id in resources_map._parsed_resources:
        return resources_map._parsed_resources[logical_id]
    return updated


cloudformation_parsing.parse_and_update_resource = _keep_resources_moto_cannot_update

import moto_release  # noqa: E402,F401 - the live alias and its alarms in templates (see that module)

# Drift detection and REVERT_DRIFT change sets (local-pipeline/emulator/moto_drift.py); found from
# here and from local-pipeline/emulator/, where this file moves.
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "emulator"))
import moto_drift  # noqa: E402,F401


def main() -> None:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(json.dumps({"port": port}), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
