"""Runs moto's server (the same app as `moto_server`) on 127.0.0.1 on a free port.

Prints one JSON line {"port": N} once listening, then serves until its standard input closes.
The parent holds that pipe open, so the server goes away with its parent however the parent
ends (test failure, Ctrl-C, SIGKILL): no moto process outlives the run that started it.

Before it starts, the patches below (SSM, change sets, DynamoDB) and the modules imported beside
it (moto_resources.py, moto_release.py, moto_drift.py, moto_revert_drift.py) bridge moto's gaps
toward AWS, each commented with the gap it closes.
"""

import json
import os
import sys
import threading

from moto.server import ThreadedMotoServer
from moto.cloudformation import models as cloudformation_models
from moto.cloudformation import responses as cloudformation_responses
from moto.core.responses import ActionResult
from moto.cloudformation import parsing as cloudformation_parsing
from moto.ssm import models as ssm_models
from moto.core.utils import utcnow
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

import moto_resources  # noqa: E402,F401 - how a stack's resources are created, updated and deleted (see that module)
import moto_release  # noqa: E402,F401 - the live alias and its alarms in templates (see that module)

# Drift detection (local-pipeline/emulator/moto_drift.py) and REVERT_DRIFT change sets
# (moto_revert_drift.py, which builds on it); found from here and from local-pipeline/emulator/,
# where this file moves.
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "emulator"))
import moto_drift  # noqa: E402,F401
import moto_revert_drift  # noqa: E402,F401


def main() -> None:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(json.dumps({"port": port}), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
