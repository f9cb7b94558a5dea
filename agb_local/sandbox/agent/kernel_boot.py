"""The Python kernel's launcher: ipykernel, started with less of what a headless kernel never uses.

Never imported by the agent: ``kernel.py`` passes this file's text to the sandbox's Python as
``python -c <text> LIMIT <ipykernel arguments>`` (running it as a file would put the agent's directory,
with its ``code.py``, first on the kernel's ``sys.path``). LIMIT is the address-space limit to set, or 0
for none: the fallback when the sandbox has no memory cgroup, set here and not on the whole sandbox
because Node and the agent reserve far more address space than they use.

What it changes, each through a public mechanism, each undone or completed before user code needs it
(the CPU each saves per start; ``agb_local/sandbox/README.md``, "Where a kernel start goes", has the rest):

* ``debugpy`` is hidden (``sys.modules['debugpy'] = None``): ipykernel imports it and pydevd at start
  for its debugger, which these kernels do not offer (kernel_info says ``"debugger": false``). The
  first exec_line (``UNHIDE``, added to ipykernel's arguments) removes the entry, so ``import debugpy``
  works in a cell. 65 ms.
* ``jupyter_client``'s package ``__init__`` is not run at start: it imports the client, manager,
  kernel-spec and provisioning machinery (and ``importlib.metadata`` for entry points), which a kernel
  never uses. ipykernel needs only ``jupyter_client.connect``, ``.session``, a version and the name of
  ``BlockingKernelClient``. The package module is created from its real spec with those names, and the
  first other attribute looked up on it (PEP 562 ``__getattr__``) runs the real ``__init__``, after
  which it is the ordinary module. 12 ms.
* The cyclic garbage collector is off while ipykernel and IPython import and set up: about 440 modules
  create some 64,000 tracked objects that live as long as the kernel, and the collector would walk them
  over and over. ``UNHIDE`` moves them to the permanent generation (``gc.freeze()``: never scanned again, so
  every later collection in the user's cells is cheaper too) and turns the collector back on before
  any cell runs. 9-14 ms (without the freeze, the first collection after ``gc.enable()`` walks them
  all and gives the saving back).

ipykernel sends what a cell prints at most every 0.2 s (``OutStream.flush_interval``); a streamed run
would reach its callbacks that late, so the kernel flushes every 5 ms (a 10,000-line print still goes out
in a few large messages, as output arriving faster than that is batched).
"""

import gc
import importlib
import importlib.util
import resource
import runpy
import sys
import threading
from types import ModuleType

# The first exec_line, run by ipykernel before any cell and outside the history: what `_boot` suspended.
UNHIDE = (
    "--IPKernelApp.exec_lines="
    "__import__('sys').modules.pop('debugpy', None); __import__('gc').freeze(); __import__('gc').enable()"
)


def _lean_package(name: str, eager: dict[str, tuple[str, ...]]) -> None:
    """Import package `name` without running its ``__init__``: bind only the names of `eager`
    (submodule -> names, ``()`` for the submodule's ``__all__``); the first lookup of any other attribute
    runs the real ``__init__`` in the module and answers from it. A package that cannot be found, or
    has already been imported, is left alone."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return
    module = importlib.util.module_from_spec(spec)
    loader = spec.loader
    lock = threading.RLock()  # another thread's lookup waits for the __init__ (this one's may recurse)
    done = False

    def complete(attr: str) -> object:
        nonlocal done
        with lock:
            if not done:
                done = True
                loader.exec_module(module)
                if vars(module).get("__getattr__") is complete:  # unless the __init__ has one of its own
                    del module.__getattr__
        try:
            return vars(module)[attr]
        except KeyError:
            raise AttributeError(f"module {name!r} has no attribute {attr!r}") from None

    module.__getattr__ = complete  # type: ignore[method-assign]
    sys.modules[name] = module
    try:
        for submodule, names in eager.items():
            sub: ModuleType = importlib.import_module(f"{name}.{submodule}")
            for attr in names or getattr(sub, "__all__", ()):
                setattr(module, attr, getattr(sub, attr))
    except BaseException:
        del sys.modules[name]
        raise


def _boot() -> None:
    gc.disable()
    limit = int(sys.argv.pop(1))
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.modules["debugpy"] = None  # type: ignore[assignment]
    _lean_package(
        "jupyter_client",
        {
            "_version": ("__version__", "protocol_version", "protocol_version_info", "version_info"),
            "connect": (),
            # IPKernelApp's blocking_class trait names it; its imports are ones ipykernel needs anyway.
            "blocking": ("BlockingKernelClient",),
        },
    )
    iostream = importlib.import_module("ipykernel.iostream")
    iostream.OutStream.flush_interval = 0.005
    sys.argv[0] = "ipykernel_launcher"
    sys.argv.append(UNHIDE)
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    _boot()
