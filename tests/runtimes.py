"""Which of run_code's REPL runtimes this machine has, looked up here (not through agb_local's own detection,
so a backend that stops detecting them fails the tests instead of skipping them), and the skip markers."""

from __future__ import annotations

import shutil

import pytest

# The languages the machine can run besides Python and JavaScript: a JDK's jshell, R.
PRESENT = tuple(language for language, program in (("java", "jshell"), ("r", "R")) if shutil.which(program) is not None)
needs_java = pytest.mark.skipif(
    "java" not in PRESENT, reason="no JDK with jshell here (tools/setup.sh installs openjdk-17-jdk-headless)"
)
needs_r = pytest.mark.skipif("r" not in PRESENT, reason="no R here (tools/setup.sh installs r-base-core)")
