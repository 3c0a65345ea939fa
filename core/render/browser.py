"""Find and launch the system Chromium for Playwright, and find its processes (for leak checks).

We never run `playwright install`: Brushwork uses Debian's /usr/bin/chromium. SwiftShader renders
WebGL on the CPU unless `hardware_webgl` is asked for.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from playwright.async_api import Browser, Playwright

from core.render.types import BrowserUnavailable

BASE_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--no-first-run",
    # Defence in depth behind the network namespace (core/render/jail.py): resolve nothing, no QUIC or
    # WebTransport, WebRTC without UDP, every request through a proxy that does not exist, and none of
    # Chromium's own background traffic (update checks, safe browsing, metrics, domain reliability).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE harness.localhost",
    "--disable-quic",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--proxy-server=socks5://255.255.255.255:9",
    "--proxy-bypass-list=<-loopback>",
    # Chromium reads only the last --disable-features: Playwright's own list (AvoidUnnecessary… to
    # PreconnectToSearch) is repeated here.
    "--disable-features=WebTransport,DnsOverHttps,AsyncDns,MediaRouter,OptimizationHints,Translate,"
    "AutofillServerCommunication,InterestFeedContentSuggestions,CertificateTransparencyComponentUpdater,"
    "NetworkTimeServiceQuerying,SpeculationRulesPrefetchFuture,Prerender2,"
    "AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,"
    "HttpsFirstBalancedModeAutoEnable,LensOverlay,PaintHolding,ThirdPartyStoragePartitioning,"
    "AvoidCorsURLLoaderRestartOnRedirect,AimEnabled,PreconnectToSearch,"
    # no spare renderer kept ahead: each page's renderer process is then the one that appears with it
    "SpareRendererForSitePerProcess,BackForwardCache,"
    # no omnibox popup WebUI per browser context: headless Chromium 156 loads one in a renderer of its own
    # for every context, which doubled the CPU and memory of each page load
    "PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxAimPopup",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--metrics-recording-only",
    "--no-pings",
    "--disable-sync",
    # A memory bomb ends in a page crash (error kind `memory`) long before it hurts the machine.
    "--js-flags=--max-old-space-size=512",
]
INSTALL_HINT = "chromium not found: install Debian chromium (apt-get install chromium)"


def find_chromium(explicit: str | None = None) -> str:
    """Path of the Chromium binary: `explicit`, $BRUSHWORK_CHROMIUM, or `chromium` on PATH."""
    candidate = explicit or os.environ.get("BRUSHWORK_CHROMIUM") or shutil.which("chromium")
    if not candidate:
        raise BrowserUnavailable(INSTALL_HINT)
    path = Path(candidate)
    if not path.exists() and shutil.which(candidate):
        path = Path(shutil.which(candidate))
    if not path.exists() or not os.access(path, os.X_OK):
        raise BrowserUnavailable(f"{INSTALL_HINT} ({candidate} is not an executable file)")
    return str(path)


def chromium_flags(hardware_webgl: bool = False) -> list[str]:
    """Command-line flags for our headless Chromium."""
    return BASE_FLAGS if hardware_webgl else [*BASE_FLAGS, "--disable-gpu"]


async def launch(pw: Playwright, chromium: str | None = None, hardware_webgl: bool = False,
                 wrapper: str | None = None) -> Browser:
    """Start one headless Chromium (through `wrapper`, see jail.py); raises BrowserUnavailable."""
    executable = wrapper or find_chromium(chromium)
    try:
        return await pw.chromium.launch(
            executable_path=executable, headless=True, args=chromium_flags(hardware_webgl), chromium_sandbox=False
        )
    except Exception as e:  # Playwright raises its own Error with the browser's stderr
        raise BrowserUnavailable(f"chromium at {executable} failed to start: {str(e).splitlines()[0]}") from e


def descendant_pids(root: int | None = None) -> dict[int, str]:
    """{pid: command name} of every live process below `root` (default: this process), from /proc."""
    root = os.getpid() if root is None else root
    children: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may contain spaces, so split after the last ')'.
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] == "Z":
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        names[int(entry.name)] = comm
    found: dict[int, str] = {}
    stack = list(children.get(root, []))
    while stack:
        pid = stack.pop()
        found[pid] = names.get(pid, "?")
        stack.extend(children.get(pid, []))
    return found


def chromium_pids(root: int | None = None) -> list[int]:
    """Live Chromium processes started (directly or not) by `root`."""
    return sorted(pid for pid, name in descendant_pids(root).items() if "chrom" in name.lower())
