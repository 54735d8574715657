"""Emulator gap: moto has no drift detection.

This module answers DetectStackDrift, DescribeStackDriftDetectionStatus,
DescribeStackResourceDrifts and DetectStackResourceDrift the way CloudFormation does, by comparing
the properties the template sets (resolved as moto resolved them) with what moto's resources hold
now, for the types below; every other resource is left out of the results, as CloudFormation
leaves out the types it cannot check. A detection completes at once. Drift-aware (REVERT_DRIFT)
change sets, and the bucket properties moto ignores at creation (without which a fresh bucket
would look drifted), are in moto_revert_drift.py. Test bed only: imported by moto_server.py.
"""

import datetime
import json
import uuid

from moto.awslambda import utils as lambda_utils
from moto.cloudformation import responses as cloudformation_responses
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.parsing import clean_json
from moto.core.responses import ActionResult
from moto.dynamodb.models import dynamodb_backends
from moto.kinesis.models import kinesis_backends
from moto.s3.models import s3_backends
from moto.sns.models import sns_backends
from moto.utilities.utils import get_partition

# The states CloudFormation runs drift detection in.
DETECTABLE = {
    "CREATE_COMPLETE",
    "UPDATE_COMPLETE",
    "UPDATE_ROLLBACK_COMPLETE",
    "UPDATE_ROLLBACK_FAILED",
    "IMPORT_COMPLETE",
    "IMPORT_ROLLBACK_COMPLETE",
}

# detection id -> status record; stack id -> the resource drifts of its latest detection
_detections = {}
_latest = {}


class _Gone(Exception):
    """The resource no longer exists."""


def _find(getter):
    try:
        found = getter()
    except Exception as error:  # moto's not-found errors differ by service
        raise _Gone() from error
    if found is None:
        raise _Gone()
    return found


# ---- what each checked type holds now, in the template's property names ----------------------


def _stream(stack, physical_id):
    stream = _find(lambda: kinesis_backends[stack.account_id][stack.region_name].describe_stream(stream_arn=None, stream_name=physical_id))
    return {"RetentionPeriodHours": stream.retention_period_hours, "ShardCount": stream.shard_count}


def _table(stack, physical_id):
    table = _find(lambda: dynamodb_backends[stack.account_id][stack.region_name].get_table(physical_id))
    return {"BillingMode": table.billing_mode, "DeletionProtectionEnabled": bool(table.deletion_protection_enabled)}


def _function(stack, physical_id):
    function = _find(lambda: lambda_utils.get_backend(stack.account_id, stack.region_name).get_function(physical_id))
    return {"MemorySize": function.memory_size, "Timeout": function.timeout, "Environment": {"Variables": dict(function.environment_vars or {})}}


def _bucket(stack, physical_id):
    bucket = _find(lambda: s3_backends[stack.account_id][get_partition(stack.region_name)].get_bucket(physical_id))
    actual = {}
    rule = (bucket.encryption or {}).get("Rule") if bucket.encryption else None
    if rule:
        default = dict(rule.get("ApplyServerSideEncryptionByDefault") or {})
        by_default = {"SSEAlgorithm": default.get("SSEAlgorithm")}
        if default.get("KMSMasterKeyID"):
            by_default["KMSMasterKeyID"] = default["KMSMasterKeyID"]
        rule_out = {"ServerSideEncryptionByDefault": by_default}
        if rule.get("BucketKeyEnabled") is not None:
            rule_out["BucketKeyEnabled"] = str(rule["BucketKeyEnabled"]).lower() == "true"
        actual["BucketEncryption"] = {"ServerSideEncryptionConfiguration": [rule_out]}
    if bucket.versioning_status:
        actual["VersioningConfiguration"] = {"Status": bucket.versioning_status}
    return actual


def _subscription(stack, physical_id):
    subscription = _find(lambda: sns_backends[stack.account_id][stack.region_name].subscriptions.get(physical_id))
    return {"TopicArn": subscription.topic.arn, "Protocol": subscription.protocol, "Endpoint": subscription.endpoint}


CHECKED = {
    "AWS::Kinesis::Stream": (_stream, ("RetentionPeriodHours", "ShardCount")),
    "AWS::DynamoDB::Table": (_table, ("BillingMode", "DeletionProtectionEnabled")),
    "AWS::Lambda::Function": (_function, ("MemorySize", "Timeout", "Environment")),
    "AWS::S3::Bucket": (_bucket, ("BucketEncryption", "VersioningConfiguration")),
    "AWS::SNS::Subscription": (_subscription, ("TopicArn", "Protocol", "Endpoint")),
}


# ---- comparison -------------------------------------------------------------------------------


def _text(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), sort_keys=True)
    return str(value)


def _differences(path, expected, actual):
    """PropertyDifferences as CloudFormation gives them: ADD, REMOVE or NOT_EQUAL, JSON-pointer paths."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted(set(expected) | set(actual)):
            found += _differences(f"{path}/{key}", expected.get(key), actual.get(key))
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        found = []
        for index in range(max(len(expected), len(actual))):
            found += _differences(f"{path}/{index}", expected[index] if index < len(expected) else None, actual[index] if index < len(actual) else None)
        return found
    if expected is None and actual is None:
        return []
    if expected is None:
        return [{"PropertyPath": path, "ExpectedValue": "null", "ActualValue": _text(actual), "DifferenceType": "ADD"}]
    if actual is None:
        return [{"PropertyPath": path, "ExpectedValue": _text(expected), "ActualValue": "null", "DifferenceType": "REMOVE"}]
    if _text(expected) != _text(actual):
        return [{"PropertyPath": path, "ExpectedValue": _text(expected), "ActualValue": _text(actual), "DifferenceType": "NOT_EQUAL"}]
    return []


def _expected_properties(stack, logical_id, names):
    resource_json = stack.resource_map._resource_json_map[logical_id]
    properties = clean_json(resource_json.get("Properties", {}), stack.resource_map)
    # Only the properties the template sets are compared, as CloudFormation does.
    return {name: properties[name] for name in names if name in properties and properties[name] is not None}


def _resource_drift(stack, logical_id, now):
    resource_json = stack.resource_map._resource_json_map.get(logical_id) or {}
    resource_type = resource_json.get("Type")
    if resource_type not in CHECKED or logical_id not in stack.resource_map._parsed_resources:
        return None
    read, names = CHECKED[resource_type]
    physical_id = getattr(stack.resource_map[logical_id], "physical_resource_id", None)
    expected = _expected_properties(stack, logical_id, names)
    drift = {
        "StackId": stack.stack_id,
        "LogicalResourceId": logical_id,
        "PhysicalResourceId": physical_id,
        "ResourceType": resource_type,
        "ExpectedProperties": json.dumps(expected, sort_keys=True, default=str),
        "Timestamp": now,
    }
    try:
        actual_all = read(stack, physical_id)
    except _Gone:
        return {**drift, "StackResourceDriftStatus": "DELETED", "PropertyDifferences": []}
    actual = {name: actual_all.get(name) for name in expected}
    differences = _differences("", expected, actual)
    return {
        **drift,
        "ActualProperties": json.dumps(actual, sort_keys=True, default=str),
        "PropertyDifferences": differences,
        "StackResourceDriftStatus": "MODIFIED" if differences else "IN_SYNC",
    }


def stack_drifts(stack):
    now = datetime.datetime.now(datetime.timezone.utc)
    found = [_resource_drift(stack, logical_id, now) for logical_id in stack.resource_map._resource_json_map]
    return [drift for drift in found if drift is not None]


def _settled_stack(backend, name):
    stack = backend.get_stack(name)
    if stack.status == "DELETE_COMPLETE":
        raise ValidationError(name)
    if stack.status not in DETECTABLE:
        raise ValidationError(message=f"Stack {stack.stack_id} is in {stack.status} state and can not be checked for drift.")
    return stack


# ---- the API --------------------------------------------------------------------------------


def _detect_stack_drift(self):
    stack = _settled_stack(self.cloudformation_backend, self._get_param("StackName"))
    drifts = stack_drifts(stack)
    drifted = [d for d in drifts if d["StackResourceDriftStatus"] in ("MODIFIED", "DELETED")]
    detection_id = str(uuid.uuid4())
    now = datetime.datetime.now(datetime.timezone.utc)
    _latest[stack.stack_id] = drifts
    _detections[detection_id] = {
        "StackId": stack.stack_id,
        "StackDriftDetectionId": detection_id,
        "StackDriftStatus": "DRIFTED" if drifted else "IN_SYNC",
        "DetectionStatus": "DETECTION_COMPLETE",
        "DriftedStackResourceCount": len(drifted),
        "Timestamp": now,
    }
    stack.drift_information = {"StackDriftStatus": _detections[detection_id]["StackDriftStatus"], "LastCheckTimestamp": now}
    return ActionResult({"StackDriftDetectionId": detection_id})


def _describe_stack_drift_detection_status(self):
    detection_id = self._get_param("StackDriftDetectionId")
    if detection_id not in _detections:
        raise ValidationError(message=f"Drift detection {detection_id} does not exist.")
    return ActionResult(_detections[detection_id])


def _describe_stack_resource_drifts(self):
    stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
    filters = self._get_param("StackResourceDriftStatusFilters", []) or None
    drifts = [d for d in _latest.get(stack.stack_id, []) if not filters or d["StackResourceDriftStatus"] in filters]
    start = int(self._get_param("NextToken") or 0)
    size = int(self._get_param("MaxResults") or 100)
    page = drifts[start : start + size]
    result = {"StackResourceDrifts": page}
    if start + size < len(drifts):
        result["NextToken"] = str(start + size)
    return ActionResult(result)


def _detect_stack_resource_drift(self):
    stack = _settled_stack(self.cloudformation_backend, self._get_param("StackName"))
    logical_id = self._get_param("LogicalResourceId")
    if logical_id not in stack.resource_map._resource_json_map:
        raise ValidationError(message=f"Resource {logical_id} does not exist for stack {stack.name}")
    drift = _resource_drift(stack, logical_id, datetime.datetime.now(datetime.timezone.utc))
    if drift is None:
        raise ValidationError(message=f"Drift detection is not supported for resource {logical_id} of type {stack.resource_map._resource_json_map[logical_id].get('Type')}")
    return ActionResult({"StackResourceDrift": drift})


cloudformation_responses.CloudFormationResponse.detect_stack_drift = _detect_stack_drift
cloudformation_responses.CloudFormationResponse.describe_stack_drift_detection_status = _describe_stack_drift_detection_status
cloudformation_responses.CloudFormationResponse.describe_stack_resource_drifts = _describe_stack_resource_drifts
cloudformation_responses.CloudFormationResponse.detect_stack_resource_drift = _detect_stack_resource_drift
