#!/usr/bin/env bash
# Public pages side by side with nginx.
#
# Builds samrad and the load client, creates a fresh database with the demo
# and the ten-year set ("lasttest"), starts `samrad serve` on a loopback
# port, saves samrad's answer for each public page and API list as a static
# file, serves those files with nginx on another loopback port, and measures
# both one after the other with the same client settings. Prints a table
# (markdown unless FORMAT=text|tsv|json) with samrad's share of nginx's
# requests per second, and each server's CPU time per request.
#
#   scripts/loadcompare.sh                   # SQLite
#   ENGINE=postgres scripts/loadcompare.sh   # PostgreSQL at $SAMRAD_TEST_POSTGRES, in a new schema
#
# Settings: CONNECTIONS (64), DURATION (5s), WARMUP (1s), FORMAT (markdown),
# DOCUMENTS (20000, of the ten-year set), PORT (18480; nginx gets PORT+1).
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${ENGINE:-sqlite}
conns=${CONNECTIONS:-64}
duration=${DURATION:-5s}
warmup=${WARMUP:-1s}
format=${FORMAT:-markdown}
documents=${DOCUMENTS:-20000}
port=${PORT:-18480}
nginx_port=$((port + 1))
base="http://127.0.0.1:$port"

die() { echo "loadcompare: $*" >&2; exit 1; }

# nginx: installed from the distribution if it is missing.
nginx_bin=$(command -v nginx || true)
[ -z "$nginx_bin" ] && [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx
if [ -z "$nginx_bin" ]; then
  echo "loadcompare: nginx is missing; installing nginx-light" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y nginx-light >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y nginx-light >/dev/null; } || true
  elif command -v sudo >/dev/null; then
    sudo -n apt-get install -y nginx-light >/dev/null 2>&1 || true
  fi
  nginx_bin=$(command -v nginx || true)
  [ -z "$nginx_bin" ] && [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx
  [ -n "$nginx_bin" ] || die "nginx is not installed and could not be installed (needs root or password-less sudo for apt-get install nginx-light); install it and run again"
fi

tmp=$(mktemp -d)
samrad_pid=""
schema=""
cleanup() {
  if [ -n "$samrad_pid" ]; then kill "$samrad_pid" 2>/dev/null || true; wait "$samrad_pid" 2>/dev/null || true; fi
  if [ -f "$tmp/nginx.pid" ]; then kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true; fi
  if [ -n "$schema" ]; then psql -q "$SAMRAD_TEST_POSTGRES" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "loadcompare: building" >&2
go build -o "$tmp/samrad" ./cmd/samrad
go build -o "$tmp/loadtest" ./internal/tools/loadtest

case "$engine" in
sqlite) dsn="$tmp/samrad.db" ;;
postgres)
  [ -n "${SAMRAD_TEST_POSTGRES:-}" ] || die "ENGINE=postgres needs SAMRAD_TEST_POSTGRES"
  command -v psql >/dev/null || die "ENGINE=postgres needs psql"
  schema="loadcompare_$(date +%s)_$$"
  psql -q "$SAMRAD_TEST_POSTGRES" -c "CREATE SCHEMA $schema" >/dev/null
  sep='?'; case "$SAMRAD_TEST_POSTGRES" in *\?*) sep='&' ;; esac
  dsn="$SAMRAD_TEST_POSTGRES${sep}search_path=$schema"
  ;;
*) die "ENGINE must be sqlite or postgres" ;;
esac

echo "loadcompare: demo and ten-year data ($engine)" >&2
"$tmp/samrad" demo load --db "$dsn" >/dev/null
"$tmp/samrad" demo ten-years --db "$dsn" --documents "$documents" >&2

"$tmp/samrad" serve --db "$dsn" --addr "127.0.0.1:$port" --base-url "$base" 2>"$tmp/serve.log" &
samrad_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$samrad_pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; die "samrad serve stopped"; }
  sleep 0.1
done
curl -fsS "$base/healthz" >/dev/null || die "samrad serve did not answer on $base"

# first PAGE REGEX: the first link on PAGE that matches REGEX.
first() {
  local link
  link=$(curl -fsS "$base$1" 2>/dev/null | grep -oE "href=\"$2\"" | head -1 | sed -E 's/^href="//; s/"$//') || true
  [ -n "$link" ] || die "no link matching $2 on $1"
  echo "$link"
}

# Every public page type and API list; items are found through their lists.
meeting=$(first /allianser/lasttest/moter '/allianser/lasttest/moter/[0-9]+')
case_=$(first /allianser/lasttest/saker '/allianser/lasttest/saker/[0-9]+/[0-9]+')
article=$(first /allianser/ore/nyheter '/allianser/ore/nyheter/[^"]+')
event=$(first /allianser/ore/arrangementer '/allianser/ore/arrangementer/[a-z0-9-]+')
network=$(first /allianser/ore/nettverk '/allianser/ore/nettverk/[a-z0-9-]+')
paths=(
  "/"
  "/allianser/lasttest"
  "/allianser/ore/medlemmer"
  "/allianser/osloregionen/kontingent?ar=2019"
  "/organisasjoner/3024"
  "/allianser/lasttest/moter"
  "$meeting"
  "/allianser/lasttest/saker"
  "$case_"
  "/allianser/lasttest/organer/organ-1"
  "/allianser/ore/nyheter"
  "$article"
  "/allianser/ore/arrangementer"
  "$event"
  "/allianser/ore/prosjekter"
  "/allianser/ore/nettverk"
  "$network"
  "/sok?q=kontingent"
  "/allianser/lasttest/sok?q=sak"
  "/oparl/v1/system"
  "/oparl/v1/body/lasttest"
  "/oparl/v1/body/lasttest/meetings"
  "/oparl/v1/body/lasttest/papers"
  "/oparl/v1/body/lasttest/persons"
  "/allianser/lasttest/popolo.json"
  "/allianser/lasttest/protokoller.atom"
  "/allianser/lasttest/vedtak.atom"
  "/allianser/ore/nyheter.atom"
  "/allianser/lasttest/organer/organ-1/moter.ics"
  "/allianser/ore/arrangementer.ics"
  "/sitemap.xml"
)

# samrad's answers as nginx's static files, one per path, with the
# extension that gives nginx the same content type.
mkdir -p "$tmp/root/p"
: >"$tmp/pairs"
i=0
for p in "${paths[@]}"; do
  i=$((i + 1))
  ctype=$(curl -fsS -o "$tmp/answer" -w '%{content_type}' "$base$p") || die "$p: samrad did not answer 200"
  case "$ctype" in
  text/html*) ext=html ;;
  application/json*) ext=json ;;
  application/atom+xml*) ext=atom ;;
  application/xml*) ext=xml ;;
  text/calendar*) ext=ics ;;
  *) die "$p: unexpected content type $ctype" ;;
  esac
  mv "$tmp/answer" "$tmp/root/p/$i.$ext"
  echo "$p /p/$i.$ext" >>"$tmp/pairs"
done

# nginx's workers run as an unprivileged user when it is started as root.
chmod 755 "$tmp"
chmod -R a+rX "$tmp/root"
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx.conf" <<EOF
worker_processes auto;
pid $tmp/nginx.pid;
error_log $tmp/nginx/error.log warn;
daemon on;
events { worker_connections 1024; }
http {
  types {
    text/html html;
    application/json json;
    application/atom+xml atom;
    application/xml xml;
    text/calendar ics;
  }
  charset utf-8;
  charset_types application/json application/atom+xml application/xml text/calendar;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $tmp/root;
  }
}
EOF
"$nginx_bin" -p "$tmp/nginx" -c "$tmp/nginx.conf" || die "nginx did not start"
for _ in $(seq 1 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port/p/1.html" 2>/dev/null && break
  sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port/p/1.html" || die "nginx does not serve the saved pages (see $tmp/nginx/error.log)"

nginx_workers=$(pgrep -d, -P "$(cat "$tmp/nginx.pid")" || true)
[ -n "$nginx_workers" ] || die "nginx has no worker processes"

echo "loadcompare: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $conns connections, $duration per server and path after $warmup of warm-up" >&2
"$tmp/loadtest" -compare -pairs "$tmp/pairs" -a "$base" -b "http://127.0.0.1:$nginx_port" -a-name samrad -b-name nginx \
  -a-pids "$samrad_pid" -b-pids "$nginx_workers" -c "$conns" -d "$duration" -warmup "$warmup" -format "$format"
echo "loadcompare: load average afterwards $(cut -d' ' -f1-3 /proc/loadavg)" >&2
