"""Kernel managers for chapter execution.

On POSIX systems kernels talk over IPC sockets instead of TCP on localhost: no open port, and no
"running over TCP without encryption" warning from every kernel.
"""

from __future__ import annotations

import logging
import os
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
        text = open(log_file.name, encoding="utf-8", errors="replace").read().strip()
        if text:
            logging.getLogger("lagesbild.kernel").debug("kernel log:\n%s", text)


def kernel_manager_class() -> str | None:
    """The kernel manager to use here: IPC on POSIX, the default (TCP) on Windows."""
    return None if os.name == "nt" else "lagesbild_lib.kernels.IPCKernelManager"
