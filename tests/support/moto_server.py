"""Runs moto's server (the same app as `moto_server`) on 127.0.0.1 on a free port.

Prints one JSON line {"port": N} once listening, then serves until its standard input closes.
The parent holds that pipe open, so the server goes away with its parent however the parent
ends (test failure, Ctrl-C, SIGKILL): no moto process outlives the run that started it.
"""

import json
import sys

from moto.server import ThreadedMotoServer


def main() -> None:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(json.dumps({"port": port}), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
