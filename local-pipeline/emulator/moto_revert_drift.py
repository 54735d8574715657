"""Emulator gap: moto has no drift-aware (REVERT_DRIFT) change sets.

CreateChangeSet with DeploymentMode=REVERT_DRIFT (only for an UPDATE of a stack in a completed
state) makes a change set that lists what moto_drift.py finds drifted and, executed, puts the
drifted properties back; a deleted SNS subscription is recreated. With nothing drifted and nothing
else changing it fails "didn't contain changes", as CloudFormation fails an empty change set.
Where it is less than AWS: only the types moto_drift.py checks are reverted, a deleted resource
other than the subscription is not recreated, and a DELETED resource is shown as an Add (not
verified against AWS).

Two more gaps are bridged here: moto's AWS::S3::Bucket ignores VersioningConfiguration and
BucketKeyEnabled (applied at creation, so a fresh bucket does not look drifted), and
ListStackResources is answered from the template. Test bed only: imported by moto_server.py,
after moto_drift.py.
"""

import json

from moto.awslambda import utils as lambda_utils
from moto.cloudformation import models as cloudformation_models
from moto.cloudformation import responses as cloudformation_responses
from moto.cloudformation.exceptions import ValidationError
from moto.core.responses import ActionResult
from moto.dynamodb.models import dynamodb_backends
from moto.kinesis.models import kinesis_backends
from moto.s3.cloud_formation import cfn_to_api_encryption
from moto.s3 import models as s3_models
from moto.s3.models import s3_backends
from moto.sns.models import sns_backends
from moto.utilities.utils import get_partition

from moto_drift import _settled_stack, stack_drifts

NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set."


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
