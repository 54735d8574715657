"""Emulator gaps in how moto's CloudFormation creates, updates and deletes a stack's resources.

moto's hooks for several resource types differ from CloudFormation: the functions a stack creates
land in a Lambda backend its API does not serve, and their code is re-applied on every update; an
instance's primary network interface outlives the instance and route tables are never deleted, so
the stack's VPC cannot be deleted; a KMS key's template tags make it fail; AWS::CodeDeploy::* and
AWS::IAM::OIDCProvider are skipped. The patches below make each behave as CloudFormation does,
each commented with the gap it closes. Where it is less than AWS: the CodeDeploy resources are
names only (the CodeDeploy API is played by local-pipeline/codedeploy/codedeploy-standin.ts), and
an OIDC provider is kept as it is on a stack update.

Imported by moto_server.py before the server starts.
"""

import copy

from moto.core.common_models import CloudFormationModel
from moto.awslambda import models as lambda_models
from moto.awslambda import utils as lambda_utils
from moto.ec2.models import ec2_backends
from moto.ec2.models import instances as instance_models
from moto.ec2.models import route_tables as route_table_models
from moto.iam import models as iam_models
from moto.kms import models as kms_models
from moto.utilities.utils import get_partition

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
