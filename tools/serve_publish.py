"""make serve-publish: build the site as the uploads do, and serve it at a local address, to look
at exactly what would be uploaded before uploading it.

The build is the publish build (publishconf.py, content checks strict) into output/, as
`make publish`, `make rsync_upload` and `make github` make it; the preview's folder (.preview/)
is never touched, so `make devserver` can keep running. nginx serves it with the site's own
production headers (_nginx/site.conf, as `make audit` does) when it is installed; otherwise
Python's server, without those headers. The pages' links lead to the site's real address
(SITEURL), as they will once uploaded.

    python -m tools.serve_publish --output output [--port 8001] [--content … --cache …]
"""

import argparse
import signal
import sys
import threading
from pathlib import Path

from pelican.settings import read_settings

from tools import nginx_server
from tools.build import build
from tools.messages import say
from tools.site_server import base_url, make_server

PROJECT = Path(__file__).resolve().parent.parent


def serve_nginx(output, port):
    """nginx with the production headers; blocks until Ctrl+C."""
    with nginx_server.running_nginx(output, port) as nginx:
        say(f"Serving output/ as it would be uploaded, with the site's production headers (nginx): "
            f"{nginx.url}/")
        say("Ctrl+C stops it.")
        threading.Event().wait()


def serve_python(output, host, port):
    """Python's server, without the production headers; blocks until Ctrl+C."""
    server = make_server(output, host, port)
    say(f"Serving output/ as it would be uploaded: {base_url(server)}/ (Python's server: nginx is not "
        "installed, so the production headers are not sent).")
    say("Ctrl+C stops it.")
    try:
        server.serve_forever()
    finally:
        server.server_close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", default="output")
    parser.add_argument("--project", default=str(PROJECT))
    parser.add_argument("--content", help="the posts and pages, when not the settings' content/")
    parser.add_argument("--cache", help="the build cache, when not the settings' cache/")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    project = Path(args.project)
    output = (project / args.output).resolve()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops it as Ctrl+C does

    say("Building the site for publishing, as the uploads do...")
    if not build("publishconf.py", output, project, args.content, args.cache):
        say(f"The build failed, so there is nothing new to look at. {args.output}/ still holds the last good "
            "site.", sys.stderr)
        sys.exit(1)
    siteurl = read_settings(str(project / "publishconf.py")).get("SITEURL", "")
    say(f"Its links lead to {siteurl}/, as they will once uploaded: to look at another page here, type its "
        "address after the local one.")
    try:
        try:
            nginx_server.executable()
        except nginx_server.NginxMissing:
            serve_python(output, args.host, args.port)
        else:
            serve_nginx(output, args.port)
    except KeyboardInterrupt:
        say("Stopped.")
    except (OSError, nginx_server.NginxFailed) as error:
        say(f"Cannot serve on port {args.port} ({error}). Is it in use? Pick another: "
            f"make serve-publish PUBLISH_PORT={args.port + 1}", sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
