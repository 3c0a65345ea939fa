"""Real TCP and UDP listeners on 127.0.0.1 that count every connection and datagram they receive."""
from __future__ import annotations

import socket
import threading


class Listener:
    """One TCP and one UDP socket on the same free loopback port, counted from a background thread."""

    def __init__(self, port: int = 0) -> None:
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(("127.0.0.1", port))
        self.tcp.listen(64)
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.udp.bind(("127.0.0.1", self.port))
        except OSError:  # the UDP side of this port is taken: keep TCP only
            self.udp.close()
            self.udp = None
        self.connections = 0
        self.packets = 0
        self._stop = False
        self.tcp.settimeout(0.1)
        if self.udp is not None:
            self.udp.settimeout(0.1)
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        if self.udp is not None:
            self._threads.append(threading.Thread(target=self._receive, daemon=True))
        for t in self._threads:
            t.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.tcp.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def _receive(self) -> None:
        while not self._stop:
            try:
                self.udp.recvfrom(65536)
            except (TimeoutError, OSError):
                continue
            self.packets += 1

    def close(self) -> None:
        self._stop = True
        for t in self._threads:
            t.join(2)
        self.tcp.close()
        if self.udp is not None:
            self.udp.close()


def listeners(names: list[str]) -> dict[str, Listener]:
    """One listener per channel name, each on its own port, so every channel is counted apart."""
    return {name: Listener() for name in names}
