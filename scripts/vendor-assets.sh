#!/usr/bin/env bash
# Fetches the committed third-party front-end files from the npm registry at
# the versions below and copies them into the repository:
#
#   web/static/vendor/designsystemet/index.css   @digdir/designsystemet-css
#   web/static/vendor/designsystemet/theme.css   @digdir/designsystemet-theme (digdir brand)
#   web/static/vendor/fonts/*.woff2              @fontsource/inter (latin, latin-ext; 400/500/600)
#   web/static/vendor/htmx/htmx.min.js           htmx.org
#   e2e/axe/axe.min.js                           axe-core
#   third_party_licenses/*                       their licences
#
# web/static/vendor/fonts/fonts.css is ours and is not touched. After a
# version change, update the versions in web/static/vendor/README.md and
# e2e/axe/README.md, check the variable names samrad.css uses still exist,
# and run scripts/test.sh.
#
# Usage: scripts/vendor-assets.sh [--check]
#   --check  fetch and compare only; exit 1 if a committed file differs.
set -euo pipefail
cd "$(dirname "$0")/.."

DS_CSS_VERSION=1.22.0
DS_THEME_VERSION=1.11.0
INTER_VERSION=5.3.0
AXE_VERSION=4.14.1
HTMX_VERSION=2.0.11

check=0
if [ "${1:-}" = "--check" ]; then check=1; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() { # package@version → directory with the unpacked package
  local spec=$1 dir
  dir="$work/$(printf '%s' "$spec" | tr '/@' '__')"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz)
  printf '%s/package' "$dir"
}

differ=0
put() { # source destination
  if [ "$check" = 1 ]; then
    if ! cmp -s "$1" "$2"; then echo "differs: $2"; differ=1; fi
  else
    mkdir -p "$(dirname "$2")"
    cp "$1" "$2"
  fi
}

css=$(fetch "@digdir/designsystemet-css@$DS_CSS_VERSION")
put "$css/dist/src/index.css" web/static/vendor/designsystemet/index.css
put "$css/LICENSE" third_party_licenses/designsystemet-css-LICENSE.txt

theme=$(fetch "@digdir/designsystemet-theme@$DS_THEME_VERSION")
put "$theme/brand/digdir.css" web/static/vendor/designsystemet/theme.css
put "$theme/LICENSE" third_party_licenses/designsystemet-theme-LICENSE.txt

htmx=$(fetch "htmx.org@$HTMX_VERSION")
put "$htmx/dist/htmx.min.js" web/static/vendor/htmx/htmx.min.js
put "$htmx/LICENSE" third_party_licenses/htmx-LICENSE.txt

inter=$(fetch "@fontsource/inter@$INTER_VERSION")
for weight in 400 500 600; do
  for subset in latin latin-ext; do
    f="inter-$subset-$weight-normal.woff2"
    put "$inter/files/$f" "web/static/vendor/fonts/$f"
  done
done
put "$inter/LICENSE" third_party_licenses/inter-LICENSE.txt

axe=$(fetch "axe-core@$AXE_VERSION")
put "$axe/axe.min.js" e2e/axe/axe.min.js
put "$axe/LICENSE" third_party_licenses/axe-core-LICENSE.txt

# Nothing may be loaded from another host (an @import of a web font, say).
if grep -nE "@import[^;]*(https?:|//)|url\(\s*['\"]?\s*(https?:|//)" web/static/vendor/designsystemet/*.css; then
  echo "a vendored stylesheet loads from another host: remove that rule" >&2
  exit 1
fi

if [ "$check" = 1 ]; then
  if [ "$differ" = 1 ]; then exit 1; fi
  echo "vendored files match the npm packages"
fi
