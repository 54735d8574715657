"""Runs moto's server (the same app as `moto_server`) on 127.0.0.1 on a free port.

Prints one JSON line {"port": N} once listening, then serves until its standard input closes.
The parent holds that pipe open, so the server goes away with its parent however the parent
ends (test failure, Ctrl-C, SIGKILL): no moto process outlives the run that started it.
"""

import json
import sys

from moto.server import ThreadedMotoServer
from moto.ssm import models as ssm_models
from moto.core.utils import utcnow

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


def main() -> None:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(json.dumps({"port": port}), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
