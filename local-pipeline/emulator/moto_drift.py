"""Emulator gap: moto has no drift detection and no drift-aware (REVERT_DRIFT) change sets.

This module answers DetectStackDrift, DescribeStackDriftDetectionStatus,
DescribeStackResourceDrifts and DetectStackResourceDrift the way CloudFormation does, by comparing
the properties the template sets (resolved as moto resolved them) with what moto's resources hold
now, for the types below; every other resource is left out of the results, as CloudFormation
leaves out the types it cannot check. CreateChangeSet with DeploymentMode=REVERT_DRIFT makes a
change set that, executed, puts the drifted properties back. Test bed only: imported by
moto_server.py.
"""

import datetime
import json
import uuid

from moto.awslambda import utils as lambda_utils
from moto.cloudformation import models as cloudformation_models
from moto.cloudformation import responses as cloudformation_responses
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.parsing import clean_json
from moto.core.responses import ActionResult
from moto.dynamodb.models import dynamodb_backends
from moto.kinesis.models import kinesis_backends
from moto.s3.cloud_formation import cfn_to_api_encryption
from moto.s3 import models as s3_models
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
NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set."

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


# ---- drift-aware change sets (DeploymentMode=REVERT_DRIFT) -----------------------------------


def _revert_stream(stack, resource, expected):
    stream = kinesis_backends[stack.account_id][stack.region_name].describe_stream(stream_arn=None, stream_name=resource.physical_resource_id)
    if "RetentionPeriodHours" in expected:
        stream.retention_period_hours = int(expected["RetentionPeriodHours"])
    if "ShardCount" in expected and stream.shard_count != int(expected["ShardCount"]):
        stream.update_shard_count(int(expected["ShardCount"]))


def _revert_table(stack, resource, expected):
    table = dynamodb_backends[stack.account_id][stack.region_name].get_table(resource.physical_resource_id)
    if "BillingMode" in expected:
        table.billing_mode = expected["BillingMode"]
    if "DeletionProtectionEnabled" in expected:
        table.deletion_protection_enabled = str(expected["DeletionProtectionEnabled"]).lower() == "true"


def _revert_function(stack, resource, expected):
    function = lambda_utils.get_backend(stack.account_id, stack.region_name).get_function(resource.physical_resource_id)
    function.update_configuration({key: int(value) if key != "Environment" else value for key, value in expected.items()})


def _revert_bucket(stack, resource, expected):
    bucket = s3_backends[stack.account_id][get_partition(stack.region_name)].get_bucket(resource.physical_resource_id)
    _apply_bucket_properties(bucket, expected)


def _apply_bucket_properties(bucket, properties):
    if "BucketEncryption" in properties:
        bucket.encryption = cfn_to_api_encryption(properties["BucketEncryption"])
        key_enabled = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0].get("BucketKeyEnabled")
        if key_enabled is not None:
            bucket.encryption["Rule"]["BucketKeyEnabled"] = str(key_enabled).lower()
    if "VersioningConfiguration" in properties:
        bucket.versioning_status = properties["VersioningConfiguration"]["Status"]


# Emulator gap: moto's AWS::S3::Bucket ignores VersioningConfiguration and the encryption rule's
# BucketKeyEnabled, so a bucket the template versions would look drifted from the start. Apply
# them as CloudFormation does.
_create_bucket = s3_models.FakeBucket.create_from_cloudformation_json.__func__


def _create_bucket_with_versioning(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    bucket = _create_bucket(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    _apply_bucket_properties(bucket, cloudformation_json.get("Properties", {}))
    return bucket


s3_models.FakeBucket.create_from_cloudformation_json = classmethod(_create_bucket_with_versioning)


def _recreate_subscription(stack, logical_id, expected):
    backend = sns_backends[stack.account_id][stack.region_name]
    subscription = backend.subscribe(expected["TopicArn"], expected["Endpoint"], expected["Protocol"])
    stack.resource_map._parsed_resources[logical_id] = subscription


REVERT = {
    "AWS::Kinesis::Stream": _revert_stream,
    "AWS::DynamoDB::Table": _revert_table,
    "AWS::Lambda::Function": _revert_function,
    "AWS::S3::Bucket": _revert_bucket,
}


def _revert_change(drift):
    """A ResourceChange as a drift-aware change set shows it: the drifted values put back."""
    deleted = drift["StackResourceDriftStatus"] == "DELETED"
    change = cloudformation_models.Change(action="Add" if deleted else "Modify", logical_resource_id=drift["LogicalResourceId"], resource_type=drift["ResourceType"])
    change.physical_resource_id = drift["PhysicalResourceId"]
    change.replacement = "True" if deleted else "False"
    change.scope = [] if deleted else ["Properties"]
    change.resource_drift_status = drift["StackResourceDriftStatus"]
    change.details = [
        {
            "Target": {
                "Attribute": "Properties",
                "Name": difference["PropertyPath"].split("/")[1],
                "Path": difference["PropertyPath"],
                "RequiresRecreation": "Never",
                "BeforeValue": difference["ActualValue"],
                "AfterValue": difference["ExpectedValue"],
                "AttributeChangeType": "Modify",
            },
            "Evaluation": "Static",
            "ChangeSource": "DirectModification",
        }
        for difference in drift["PropertyDifferences"]
    ]
    return change


def _make_drift_aware(change_set, stack):
    drifted = [d for d in stack_drifts(stack) if d["StackResourceDriftStatus"] in ("MODIFIED", "DELETED")]
    change_set.deployment_mode = "REVERT_DRIFT"
    change_set._reverts = drifted
    template_changes = change_set.status != "FAILED" and bool(change_set.changes)
    change_set._template_changes = template_changes
    if not drifted and not template_changes:
        # Nothing drifted and nothing else changes: CloudFormation fails an empty change set.
        change_set.status = "FAILED"
        change_set.execution_status = "UNAVAILABLE"
        change_set.status_reason = NO_CHANGES
        return
    reverted = {d["LogicalResourceId"] for d in drifted}
    change_set.changes = [c for c in (change_set.changes if template_changes else []) if c.logical_resource_id not in reverted]
    change_set.changes += [_revert_change(d) for d in drifted]
    change_set.status = "CREATE_COMPLETE"
    change_set.execution_status = "AVAILABLE"
    change_set.status_reason = None


_create_change_set_response = cloudformation_responses.CloudFormationResponse.create_change_set


def _deployment_mode(response):
    # Read from the raw request too: the venv's botocore may predate DeploymentMode (2025), and
    # moto parses requests with that model.
    return response._get_param("DeploymentMode") or (response.querystring.get("DeploymentMode") or [None])[0]


def _create_change_set_with_deployment_mode(self):
    if _deployment_mode(self) != "REVERT_DRIFT":
        return _create_change_set_response(self)
    stack_name = self._get_param("StackName")
    if self._get_param("ChangeSetType", "CREATE") != "UPDATE":
        raise ValidationError(message="DeploymentMode REVERT_DRIFT is only supported for change sets of type UPDATE.")
    stack = _settled_stack(self.cloudformation_backend, stack_name)
    # CreateChangeSet never refuses an unchanged template (moto's UpdateStack check does): the
    # change set itself says whether it changes anything.
    self._validate_different_update = lambda *args, **kwargs: None
    result = _create_change_set_response(self)
    change_set = self.cloudformation_backend.describe_change_set(self._get_param("ChangeSetName"))
    _make_drift_aware(change_set, stack)
    return result


_apply_change_set = cloudformation_models.ChangeSet.apply


def _apply_reverting_drift(self):
    # A drift-aware change set on the same template and values changes nothing but the drift;
    # moto's update would re-apply resources whose (re-resolved) parameters it sees as changed.
    if getattr(self, "_template_changes", True):
        _apply_change_set(self)
    stack = self.stack
    for drift in getattr(self, "_reverts", []):
        logical_id = drift["LogicalResourceId"]
        expected = json.loads(drift["ExpectedProperties"])
        if drift["StackResourceDriftStatus"] == "DELETED" and drift["ResourceType"] == "AWS::SNS::Subscription":
            _recreate_subscription(stack, logical_id, expected)
        elif drift["ResourceType"] in REVERT:
            REVERT[drift["ResourceType"]](stack, stack.resource_map[logical_id], expected)


cloudformation_responses.CloudFormationResponse.create_change_set = _create_change_set_with_deployment_mode
cloudformation_models.ChangeSet.apply = _apply_reverting_drift


# Emulator gap: ListStackResources names a resource by attributes several of moto's models never
# set (streams, tables, functions, buckets), and lists resources moto does not model (bucket and
# queue policies) or did not create (a false Condition) with no name at all. Answer from the
# template, as CloudFormation does: every created resource with its logical id and type.
def _list_stack_resources_named(self):
    stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
    summaries = []
    # Read what exists without creating anything (the map creates resources on access); a stack
    # a change set created and nobody executed holds none.
    created = {} if stack.status == "REVIEW_IN_PROGRESS" else stack.resource_map._resource_json_map
    for logical_id, resource_json in created.items():
        resource = stack.resource_map._parsed_resources.get(logical_id)
        if resource is None and "Condition" in resource_json:
            continue  # its condition is false: CloudFormation never created it
        summaries.append(
            {
                "LogicalResourceId": logical_id,
                "PhysicalResourceId": getattr(resource, "physical_resource_id", None) or logical_id,
                "ResourceType": resource_json.get("Type"),
                "ResourceStatus": "CREATE_COMPLETE",
                "LastUpdatedTimestamp": stack.creation_time,
            }
        )
    return ActionResult({"StackResourceSummaries": summaries})


cloudformation_responses.CloudFormationResponse.list_stack_resources = _list_stack_resources_named
