#!/usr/bin/python3
"""GStreamer RTSP test server for the RTSP probe cross-check (run with Debian's /usr/bin/python3).

Serves on 127.0.0.1 (port from --port; 0 = pick a free one) and prints one line
`READY <port> <mount,...>` on stdout once listening, then `CONNECTED` / `CLOSED` per client.

Mounts:
  /normal  H.264 test pattern (videotestsrc ! x264enc ! rtph264pay)
  /h265    H.265 test pattern, only when x265enc is installed
  /auth    the H.264 pattern behind Digest and Basic auth (--user / --password)
  /audio   audio only (PCMA)
  anything else answers 404.

Known behaviours of gst-rtsp-server handled here:
  * the listen backlog defaults to 5: raised to 1024 or concurrent clients crawl;
  * a shared mount tears its pipeline down when its last client leaves and answers 503 while it
    restarts: each media is constructed and prepared once at start and a reference is kept;
  * without `media.factory.access` for the anonymous role the server answers 404 instead of 401;
  * Basic and Digest together need set_supported_methods.
"""
import argparse
import ctypes
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

VIDEO = "videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=15/1"
PIPELINES = {
    "/normal": f"( {VIDEO} ! x264enc tune=zerolatency speed-preset=ultrafast ! rtph264pay name=pay0 pt=96 )",
    "/h265": f"( {VIDEO} ! x265enc tune=zerolatency speed-preset=ultrafast ! rtph265pay name=pay0 pt=96 )",
    "/auth": f"( {VIDEO} ! x264enc tune=zerolatency speed-preset=ultrafast ! rtph264pay name=pay0 pt=96 )",
    "/audio": "( audiotestsrc is-live=true ! audio/x-raw,rate=8000,channels=1 ! alawenc ! rtppcmapay name=pay0 pt=8 )",
}
ROLE = GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE


def say(line):
    print(line, flush=True)


def token(role):
    t = GstRtspServer.RTSPToken()
    t.set_string(ROLE, role)
    return t


def permissions(anonymous_may_play):
    perms = GstRtspServer.RTSPPermissions()
    for role, allowed in (("user", True), ("anonymous", anonymous_may_play)):
        # access for everyone (else 404 instead of 401); construct only for whoever may play
        perms.add_permission_for_role(role, GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
        perms.add_permission_for_role(role, GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, allowed)
    return perms


def offer_basic_and_digest(auth):
    """gst_rtsp_auth_set_supported_methods(auth, BASIC | DIGEST).

    GstRTSPAuthMethod is a GEnum used as flags, so PyGObject refuses the value 3: call the C
    function directly with the GObject pointer stored right after the Python object header.
    """
    lib = ctypes.CDLL("libgstrtspserver-1.0.so.0")
    lib.gst_rtsp_auth_set_supported_methods.argtypes = [ctypes.c_void_p, ctypes.c_int]
    pointer = ctypes.c_void_p.from_address(id(auth) + object.__basicsize__).value
    lib.gst_rtsp_auth_set_supported_methods(pointer, int(GstRtsp.RTSPAuthMethod.BASIC) | int(GstRtsp.RTSPAuthMethod.DIGEST))


def make_auth(user, password):
    auth = GstRtspServer.RTSPAuth()
    offer_basic_and_digest(auth)
    auth.add_digest(user, password, token("user"))
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token("user"))
    auth.set_default_token(token("anonymous"))
    return auth


def on_client(_server, client):
    say("CONNECTED")
    client.connect("closed", lambda _c: say("CLOSED"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin")
    args = parser.parse_args()
    Gst.init(None)

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    server.set_backlog(1024)
    server.set_auth(make_auth(args.user, args.password))
    server.connect("client-connected", on_client)

    mounts = server.get_mount_points()
    factories = {}
    for path, launch in PIPELINES.items():
        if path == "/h265" and Gst.ElementFactory.find("x265enc") is None:
            continue
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(launch)
        factory.set_shared(True)
        factory.set_permissions(permissions(anonymous_may_play=path != "/auth"))
        mounts.add_factory(path, factory)
        factories[path] = factory

    if server.attach(None) == 0:
        sys.exit(f"cannot listen on 127.0.0.1:{args.port}")
    port = server.get_bound_port()

    # Construct and prepare every shared media once and keep the references: the cache key is
    # port + path, so clients asking for rtsp://127.0.0.1:<port><path> get these prepared medias.
    # prepare() needs a media thread from the server's pool (None fails).
    keep = []
    pool = server.get_thread_pool()
    for path, factory in factories.items():
        _res, url = GstRtsp.RTSPUrl.parse(f"rtsp://127.0.0.1:{port}{path}")
        media = factory.construct(url)
        thread = pool.get_thread(GstRtspServer.RTSPThreadType.MEDIA, GstRtspServer.RTSPContext())
        if media is None or thread is None or not media.prepare(thread):
            sys.exit(f"cannot prepare {path}")
        keep.append(media)

    say(f"READY {port} {','.join(factories)}")
    loop = GLib.MainLoop()
    try:
        loop.run()
    except KeyboardInterrupt:
        pass
    for media in keep:
        media.unprepare()


if __name__ == "__main__":
    main()
