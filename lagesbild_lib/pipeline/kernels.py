"""Kernel managers for chapter execution.

On POSIX systems kernels talk over IPC sockets instead of TCP on localhost: no open port, and no
"running over TCP without encryption" warning from every kernel.
"""

from __future__ import annotations

import logging
import os
import time
import shutil
import tempfile

from jupyter_client.manager import AsyncKernelManager


class IPCKernelManager(AsyncKernelManager):
    """An asynchronous kernel manager using the ``ipc`` transport."""

    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        # Each kernel gets its own socket path prefix in a private folder: kernels started side by
        # side must never pick the same socket files, and none are left in the notebooks folder.
        self._socket_dir = tempfile.mkdtemp(prefix="lagesbild-kernel-")
        kwargs.setdefault("ip", os.path.join(self._socket_dir, "kernel"))
        super().__init__(**kwargs)

    async def start_kernel(self, **kw):  # AsyncKernelManager binds start_kernel to the base function
        # The kernel process's own stderr holds only its log lines (cell output travels over
        # the iopub channel): keep them out of the terminal, readable with --debug.
        self._log_file = open(os.path.join(self._socket_dir, "kernel.log"), "wb")  # noqa: SIM115
        kw.setdefault("stderr", self._log_file)
        kw.setdefault("stdout", self._log_file)
        return await super().start_kernel(**kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._forward_log()
            shutil.rmtree(self._socket_dir, ignore_errors=True)

    def _forward_log(self) -> None:
        log_file = getattr(self, "_log_file", None)
        if log_file is None:
            return
        log_file.close()
        with open(log_file.name, encoding="utf-8", errors="replace") as fh:
            text = fh.read().strip()
        if text:
            logging.getLogger("lagesbild.kernel").debug("kärnans logg:\n%s", text)


# ------------------------------------------------------------------------------ warm kernels
#: Imported once per kernel, before any chapter runs on it: the heavy libraries every chapter uses,
#: then what the chapter notebooks import (:func:`~lagesbild_lib.pipeline.chapters.chapter_imports`).
WARM_IMPORTS = """
import matplotlib
matplotlib.use("Agg")
import numpy, pandas, pyarrow.parquet, scipy.stats, scipy.ndimage, seaborn, shapely, statsmodels.api
import matplotlib.pyplot, matplotlib.font_manager
import lagesbild_lib.context, lagesbild_lib.present.pieces
import lagesbild_lib.data.memo
lagesbild_lib.data.memo.enable()  # loaded, validated tables kept from chapter to chapter (and report to report)
# What the chapters import is warmed too; a module that does not import is left to its chapter,
# which then fails with the real error in its own cell.
import importlib as _importlib
_warm_skipped = []
for _spec in {chapter_imports!r}:
    _module, _, _name = _spec.partition(":")
    try:
        _found = _importlib.import_module(_module)
        if _name and not hasattr(_found, _name):
            _importlib.import_module(_module + "." + _name)
    except Exception as _exc:
        _warm_skipped.append((_spec, repr(_exc)))
from lagesbild_lib.data.crs import to_sweref as _to_sweref
from shapely.geometry import Point as _Point
_to_sweref(_Point(18.0, 59.3))  # loads the PROJ database once
_fig = matplotlib.figure.Figure()
_fig.subplots().plot([0, 1])
_fig.savefig(__import__("io").BytesIO(), format="png")  # loads the fonts once
del _fig, _importlib, _to_sweref, _Point
# Everything imported so far lives as long as the kernel: move it out of the garbage collector's
# sight, so the collection after each chapter (and those during it) scan only the chapter's own
# objects (0.2 s less per chapter on the demo report).
import gc as _gc
_gc.collect()
_gc.freeze()
del _gc
"""


def warm_imports() -> str:
    """The warm-up code of a kernel, for the chapters in the notebooks folder."""
    from lagesbild_lib.pipeline.chapters import chapter_imports

    return WARM_IMPORTS.replace("{chapter_imports!r}", repr(chapter_imports()))


#: Run after every chapter: the user namespace is emptied so no state leaks into the next one.
#: (Global state such as rcParams is set explicitly by every chapter's chapter_context call.)
RESET = """
import lagesbild_lib.context as _c
_c.forget_contexts()
del _c
import matplotlib.pyplot as _plt
_plt.close("all")
del _plt
get_ipython().run_line_magic("reset", "-f")
import gc as _gc
_gc.collect()
del _gc
"""


def _new_manager():
    from jupyter_client.manager import AsyncKernelManager as Default

    return (Default if os.name == "nt" else IPCKernelManager)(kernel_name="python3")


class WarmKernel:
    """One kernel that runs chapter after chapter: started and warmed once, reset between chapters.

    Lives only as long as the command that made it (:meth:`shutdown` is always called): no kernel
    outlives ``lagesbild build``.
    """

    def __init__(self, cwd: str):
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        self.cwd = cwd
        self.km = _new_manager()
        self.chapters_run = 0
        run_sync(self.km.start_kernel)(cwd=cwd, extra_arguments=["--HistoryManager.hist_file=:memory:"])
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=120)
        self.kc.allow_stdin = False
        started = time.perf_counter()
        self.run(warm_imports())
        logging.getLogger("lagesbild").debug("kärnan förberedd på %.2f s", time.perf_counter() - started)

    def run(self, code: str, expressions: dict[str, str] | None = None, timeout: float = 300) -> dict:
        """Execute code silently; return the evaluated ``expressions`` (their text/plain values).

        Raises
        ------
        RuntimeError
            The code raised in the kernel.
        """
        return self._run_sync(self._run)(code, expressions or {}, timeout)

    async def _run(self, code: str, expressions: dict[str, str], timeout: float) -> dict:
        msg_id = self.kc.execute(code, silent=True, store_history=False, user_expressions=expressions)
        while True:
            reply = await self.kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")
        out = {}
        for name, value in content.get("user_expressions", {}).items():
            if value.get("status") != "ok":
                raise RuntimeError(f"{value.get('ename')}: {value.get('evalue')}")
            out[name] = value["data"].get("text/plain")
        return out

    def reset(self) -> None:
        """Empty the user namespace after a chapter."""
        self.run(RESET)

    def reads(self) -> dict:
        """What the chapters run since the last reset read (see lagesbild_lib.context.reads_report)."""
        import ast
        import json

        text = self.run("", {"r": "__import__('lagesbild_lib.context').context.reads_report()"})["r"]
        return json.loads(ast.literal_eval(text))

    def interrupt(self) -> None:
        """Interrupt the running cell, as Ctrl-C does in a notebook (callable from any thread)."""
        km = self.km
        if km is not None:
            self._run_sync(km.interrupt_kernel)()

    def shutdown(self) -> None:
        """Stop the kernel and its channels (idempotent)."""
        if self.km is None:
            return
        try:
            self.kc.stop_channels()
            self._run_sync(self.km.shutdown_kernel)(now=False)
        finally:
            self._run_sync(self.km.cleanup_resources)()
            self.km = None


def execute_on(kernel: WarmKernel, nb_man, kernel_name: str, **kwargs):
    """Run a papermill-managed notebook on a warm kernel (the body of the ``lagesbild`` engine)."""
    from papermill.clientwrap import PapermillNotebookClient

    client = PapermillNotebookClient(
        nb_man,
        km=kernel.km,
        kernel_name=kernel_name,
        startup_timeout=kwargs.get("start_timeout", 60),
        timeout=kwargs.get("execution_timeout"),
        log=logging.getLogger("papermill"),
        log_output=kwargs.get("log_output", False),
        stdout_file=kwargs.get("stdout_file"),
        stderr_file=kwargs.get("stderr_file"),
    )
    client.kc = kernel.kc  # reuse the kernel's client: nbclient then neither starts nor stops anything
    return client.execute()


def register_engine() -> str:
    """Register the ``lagesbild`` papermill engine (papermill's engine registry) and return its name."""
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmKernelEngine(NBClientEngine):
        """papermill engine that executes on a :class:`WarmKernel` passed as ``warm_kernel``."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, warm_kernel=None, **kwargs):
            if warm_kernel is None:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            return execute_on(warm_kernel, nb_man, kernel_name, **kwargs)

    papermill_engines.register("lagesbild", WarmKernelEngine)
    return "lagesbild"
