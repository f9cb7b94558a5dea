"""The main job, end to end, on the embedded local backend.

Creates a labelled session, runs Python (a value, a printed line, a rich output), runs a shell command,
writes and reads a file, lists sessions by label and deletes the session, printing what happens.

    bash tools/setup.sh && .venv/bin/python examples/quickstart.py

Against the AGB cloud instead: drop `AGB.local()` for `AGB()` with AGB_API_KEY set.
"""

from __future__ import annotations

import sys

from agb import AGB
from agb.session_params import CreateSessionParams, ListSessionParams

PLOT = """
from IPython.display import HTML, display
display(HTML("<b>rich output</b> from the sandbox"))
print("printed from Python", 6 * 7)
sum(range(10))
"""


def main() -> int:
    with AGB.local() as agb:
        print(f"local backend: {agb.config.endpoint}")

        created = agb.create(CreateSessionParams(labels={"project": "quickstart", "team": "docs"}))
        if not created.success:
            print(f"create failed: {created.error_message}", file=sys.stderr)
            return 1
        session = created.session
        print(f"created session {session.session_id} (image {session.image_id}, request {created.request_id})")

        run = session.code.run(PLOT, "python")
        print(f"python value: {run.result!r}")
        print(f"python stdout: {''.join(run.logs.stdout)!r}")
        print(f"python rich outputs: {[r.html for r in run.results if r.html]}")

        cmd = session.command.execute("uname -s && echo $HOME && ls /", timeout_ms=10_000)
        print(f"shell exit code {cmd.exit_code}: {cmd.stdout.split()}")

        session.file.write("/home/user/notes/hello.txt", "héllo from the quick start ✓\n").unwrap()
        back = session.file.read("/home/user/notes/hello.txt").unwrap()
        print(f"file read back: {back!r}")

        listed = agb.list(ListSessionParams(labels={"project": "quickstart"})).unwrap()
        print(f"sessions labelled project=quickstart: {listed}")

        deleted = agb.delete(session)
        print(f"deleted: {deleted.success}")
        remaining = agb.list(ListSessionParams(labels={"project": "quickstart"})).unwrap()
        print(f"sessions labelled project=quickstart after delete: {remaining}")
        return 0 if deleted.success and session.session_id in listed and not remaining else 1


if __name__ == "__main__":
    sys.exit(main())
