"""Kernel managers for chapter execution.

On POSIX systems kernels talk over IPC sockets instead of TCP on localhost: no open port, and no
"running over TCP without encryption" warning from every kernel.
"""

from __future__ import annotations

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

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._socket_dir, ignore_errors=True)


def kernel_manager_class() -> str | None:
    """The kernel manager to use here: IPC on POSIX, the default (TCP) on Windows."""
    return None if os.name == "nt" else "lagesbild_lib.kernels.IPCKernelManager"
