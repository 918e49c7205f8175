"""Yes/no options given on make's command line (DRY_RUN=1, FORCE=1, CONFIRM=1), read one way by
every command: on when given anything but nothing, 0, no, false or off."""

import os

OFF = ("", "0", "no", "false", "off")


def option_on(name, environ=os.environ):
    return environ.get(name, "").strip().lower() not in OFF
