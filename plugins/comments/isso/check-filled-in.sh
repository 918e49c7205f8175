#!/bin/sh
# Refuse to start the comment server while its configuration still holds a CHANGE-ME from
# isso/production.cfg (an admin password anyone can read in this repository, an empty salt...).
# isso.service runs it before Isso: ExecStartPre=/opt/isso/check-filled-in.sh <the .cfg>
config=${1:?usage: check-filled-in.sh /etc/isso/herbclinique.cfg}
if [ ! -r "$config" ]; then
  echo "Cannot read $config: copy isso/production.cfg there first (docs/comments.md)." >&2
  exit 1
fi
left=$(grep -n '^[^#;]*CHANGE-ME' "$config" | cut -d: -f1 | tr '\n' ' ')
if [ -n "$left" ]; then
  echo "$config still has CHANGE-ME on line(s) ${left% }: fill them in (docs/comments.md, step 2)." >&2
  exit 1
fi
