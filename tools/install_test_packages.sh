#!/usr/bin/env bash
# The Debian packages the test suite uses, installed when missing (run by `make test` and .ci/run).
# Each line: a check that the thing is there, the packages that bring it, and why the tests need it.
# Prints what it installs and why; prints nothing when all is there.
set -euo pipefail

needed=()
reasons=()
want() {  # want "<check>" "<why>" package...
  local check=$1 why=$2
  shift 2
  if ! eval "$check" >/dev/null 2>&1; then
    needed+=("$@")
    reasons+=("  $* - $why")
  fi
}

# $CHROMIUM: another Chromium to drive instead (tools/chromium.py), e.g. a CI runner's Chrome.
want 'test -x "${CHROMIUM:-}" || command -v chromium' "the browser tests and screenshots (headless Chromium)" chromium
want 'command -v nginx || test -x /usr/sbin/nginx' "serving the site as production does" nginx
want 'test -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so' \
  "nginx serving the pre-compressed .br pages" libnginx-mod-http-brotli-static
want 'command -v java' "the Nu HTML Checker (vnu.jar)" default-jre-headless
want 'command -v npm' "installing the page checkers from package-lock.json" nodejs npm
want 'command -v rsync' "the make rsync_upload tests" rsync
want 'command -v git' "the make github tests" git
want 'command -v openssl' "the throwaway TLS certificate of the comment-server tests" openssl
want 'command -v cc && test -e /usr/include/stdio.h' "building Isso's Markdown library (misaka)" gcc libc6-dev
want 'test -e /usr/share/fonts/truetype/dejavu' "readable text in screenshots" fonts-dejavu-core

[ ${#needed[@]} -eq 0 ] && exit 0

echo "The tests need system packages that are missing:"
printf '%s\n' "${reasons[@]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "This machine has no apt-get: install these with its own package manager, then run make test again: ${needed[*]}" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || {
    echo "Installing needs root: run as root 'apt-get install ${needed[*]}', then make test again." >&2
    exit 1
  }
  sudo="sudo"
fi
echo "Installing with apt-get (a minute or two, once): ${needed[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
echo "Installed: ${needed[*]}"
