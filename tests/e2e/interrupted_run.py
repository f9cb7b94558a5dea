"""Run a never-ending cell and press Ctrl-C (a real SIGINT) while it runs: `python interrupted_run.py ENDPOINT KEY
SESSION_ID http|stream`. Exits 3 when the call raised KeyboardInterrupt, as it must."""

from __future__ import annotations

import os
import signal
import sys
import threading

from agb import AGB, Config

LOOP = (
    "import time\nn = 0\nprint('started', flush=True)\n"
    "try:\n    while True:\n        n += 1\n        time.sleep(0.01)\n"
    "except KeyboardInterrupt:\n    stopped_at = n\n    raise\n"
)


def main() -> int:
    endpoint, key, session_id, mode = sys.argv[1:5]
    with AGB(api_key=key, cfg=Config(endpoint=endpoint)) as agb:
        session = agb.get(session_id).unwrap()
        threading.Timer(1.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        try:
            if mode == "stream":
                session.code.run(LOOP, timeout_s=120, on_stdout=lambda chunk: None)
            else:
                session.code.run(LOOP, timeout_s=120)
        except KeyboardInterrupt:
            return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
