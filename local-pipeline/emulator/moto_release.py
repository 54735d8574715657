"""Emulator gaps around safe detector releases. moto's CloudFormation has no AWS::Lambda::Alias,
no Fn::GetAtt Version of an AWS::Lambda::Version and no AWS::CloudWatch::Alarm, so the stack's
live alias would be skipped (and the event source mapping that invokes it left without a
FunctionName), and the alarms that stop a canary would not exist. These models create, update
and delete them through moto's own backends: the alias in the Lambda backend its API serves (see
moto_resources.py), the alarms in its CloudWatch backend (DescribeAlarms, SetAlarmState work).

Imported by moto_server.py before the server starts.
"""

from moto.awslambda import models as lambda_models
from moto.awslambda import utils as lambda_utils
from moto.cloudwatch import models as cloudwatch_models
from moto.core.common_models import CloudFormationModel


def _version_attribute(self, attribute_name):
    if attribute_name == "Version":
        return str(self.version)
    raise NotImplementedError(f"AWS::Lambda::Version has no attribute {attribute_name} here")


lambda_models.LambdaVersion.get_cfn_attribute = _version_attribute


class _LambdaAlias(CloudFormationModel):
    __module__ = "moto.awslambda.models"  # moto's model metaclass reads the service from this

    def __init__(self, alias, function_name):
        self.alias = alias
        self.function_name = function_name

    @property
    def physical_resource_id(self):
        return self.alias.arn  # Ref of an alias is its ARN, as in AWS

    @staticmethod
    def cloudformation_type():
        return "AWS::Lambda::Alias"

    @staticmethod
    def cloudformation_name_type():
        return "Name"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        function_name = properties["FunctionName"].split(":function:")[-1]
        alias = lambda_utils.get_backend(account_id, region_name).create_alias(
            name=properties["Name"],
            function_name=function_name,
            function_version=str(properties["FunctionVersion"]),
            description=properties.get("Description", ""),
            routing_config=properties.get("RoutingConfig"),
        )
        created = cls(alias, function_name)
        created._template_properties = properties
        return created

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        # CloudFormation updates a resource only when its template properties change; moto calls
        # this on every stack update, which would undo every release. Same properties: keep it.
        properties = cloudformation_json["Properties"]
        if properties == original_resource._template_properties:
            return original_resource
        alias = lambda_utils.get_backend(account_id, region_name).update_alias(
            name=properties["Name"],
            function_name=original_resource.function_name,
            function_version=str(properties["FunctionVersion"]),
            description=properties.get("Description", ""),
            routing_config=properties.get("RoutingConfig"),
        )
        updated = cls(alias, original_resource.function_name)
        updated._template_properties = properties
        return updated

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        function_name = properties["FunctionName"].split(":function:")[-1]
        try:
            lambda_utils.get_backend(account_id, region_name).delete_alias(properties["Name"], function_name)
        except Exception:  # the function (and its aliases) may already be gone
            pass


class _MetricAlarm(CloudFormationModel):
    __module__ = "moto.cloudwatch.models"

    def __init__(self, alarm):
        self.alarm = alarm

    @property
    def physical_resource_id(self):
        return self.alarm.name  # Ref of an alarm is its name, as in AWS

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "Arn":
            return self.alarm.alarm_arn
        raise NotImplementedError(f"AWS::CloudWatch::Alarm has no attribute {attribute_name} here")

    @staticmethod
    def cloudformation_type():
        return "AWS::CloudWatch::Alarm"

    @staticmethod
    def cloudformation_name_type():
        return "AlarmName"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        name = properties.get("AlarmName") or resource_name
        alarm = cloudwatch_models.cloudwatch_backends[account_id][region_name].put_metric_alarm(
            name=name,
            namespace=properties.get("Namespace"),
            metric_name=properties.get("MetricName"),
            comparison_operator=properties.get("ComparisonOperator"),
            evaluation_periods=int(properties.get("EvaluationPeriods", 1)),
            period=int(properties.get("Period", 60)),
            threshold=float(properties.get("Threshold", 0)),
            statistic=properties.get("Statistic"),
            description=properties.get("AlarmDescription", ""),
            dimensions=properties.get("Dimensions", []),
            alarm_actions=properties.get("AlarmActions", []),
            ok_actions=properties.get("OKActions", []),
            treat_missing_data=properties.get("TreatMissingData"),
        )
        return cls(alarm)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        cloudformation_json["Properties"].setdefault("AlarmName", original_resource.alarm.name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        cloudwatch_models.cloudwatch_backends[account_id][region_name].delete_alarms([resource_name])


# Emulator gap: on PutRecords moto tries to run the function of every Kinesis event source
# mapping in Docker. For a mapping on an alias (the live alias resolves to a version) moto's
# version object lacks its Docker client and PutRecords fails with a 500; for the bare function
# the Docker error is swallowed. The mapping never ran anything here: the local pipeline's poller
# (kinesis-poller.ts) plays it. So PutRecords just stores the records, for both.
def _mapping_runs_nothing(self, *args, **kwargs):
    return None


lambda_models.LambdaBackend.send_kinesis_message = _mapping_runs_nothing
