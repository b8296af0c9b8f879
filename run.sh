#!/usr/bin/env bash
# Runs Keycloak 26.7.3 with the Keyward pack in dev mode and the demo realm imported.
#
#   ./run.sh              dev H2 database (a file under keycloak-dist/target/keycloak/data)
#   ./run.sh --postgres   PostgreSQL (database created if missing)
#
# Keycloak is the official distribution Maven fetched (keycloak-dist/target/keycloak, built here
# with the pack's providers in providers/ and realm-export/'s demo realms in data/import/); nothing
# is downloaded at run time. Environment (all optional):
#   KEYWARD_HTTP_PORT (8080)  KEYWARD_MANAGEMENT_PORT (9000)
#   KC_BOOTSTRAP_ADMIN_USERNAME (admin)  KC_BOOTSTRAP_ADMIN_PASSWORD (random, kept for the next run)
#   KEYWARD_DB_HOST (127.0.0.1)  KEYWARD_DB_PORT (5432)  KEYWARD_DB_NAME (keyward)
#   KEYWARD_DB_USERNAME (postgres)  KEYWARD_DB_PASSWORD (empty)
#   KEYWARD_SKIP_BUILD=1   start what is already built instead of running Maven first
#   KEYWARD_UPSTREAM_SECRET (random)  client secret of the demo's test identity provider
set -euo pipefail
cd "$(dirname "$0")"

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }

db=dev-file
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) db=postgres ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

http_port=${KEYWARD_HTTP_PORT:-8080}
management_port=${KEYWARD_MANAGEMENT_PORT:-9000}
kc_home=keycloak-dist/target/keycloak

if [ "${KEYWARD_SKIP_BUILD:-0}" != 1 ] || [ ! -x "$kc_home/bin/kc.sh" ]; then
  echo "Building the pack and the Keycloak distribution (Maven)..."
  mvn -B -q -DskipTests -pl keycloak-dist -am package
fi

db_args=()
state_name=h2
db_is_new=false
if [ "$db" = postgres ]; then
  pg_host=${KEYWARD_DB_HOST:-127.0.0.1}
  pg_port=${KEYWARD_DB_PORT:-5432}
  pg_name=${KEYWARD_DB_NAME:-keyward}
  pg_user=${KEYWARD_DB_USERNAME:-postgres}
  export PGPASSWORD=${KEYWARD_DB_PASSWORD:-}
  command -v psql >/dev/null || { echo "--postgres needs psql and createdb (Debian: postgresql-client)" >&2; exit 1; }
  exists=$(psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$pg_name'")
  if [ "$exists" != 1 ]; then
    echo "Creating PostgreSQL database $pg_name on $pg_host:$pg_port"
    createdb -h "$pg_host" -p "$pg_port" -U "$pg_user" "$pg_name"
    db_is_new=true
  fi
  db_args=(--db=postgres "--db-url=jdbc:postgresql://$pg_host:$pg_port/$pg_name" "--db-username=$pg_user")
  # through the environment, not the command line, where ps would show it
  [ -n "$PGPASSWORD" ] && export KC_DB_PASSWORD=$PGPASSWORD
  state_name="postgres-$pg_host-$pg_port-$pg_name"
else
  [ -d "$kc_home/data/h2" ] || db_is_new=true
fi

# Keycloak creates the bootstrap admin only in an empty database. So a generated password is kept
# next to that database (mode 600) and reused, or the credentials printed on a second run would be
# wrong. `mvn clean` removes the H2 database and the saved password together.
state_file="$kc_home/data/keyward-admin-$state_name"
export KC_BOOTSTRAP_ADMIN_USERNAME=${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}
admin_known=$db_is_new
if [ -z "${KC_BOOTSTRAP_ADMIN_PASSWORD:-}" ]; then
  if [ "$db_is_new" = false ] && [ -s "$state_file" ]; then
    KC_BOOTSTRAP_ADMIN_PASSWORD=$(cat "$state_file")
    admin_known=true
  else
    KC_BOOTSTRAP_ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
  fi
fi
export KC_BOOTSTRAP_ADMIN_PASSWORD
mkdir -p "$kc_home/data"
[ "$admin_known" = true ] && (umask 077; printf '%s' "$KC_BOOTSTRAP_ADMIN_PASSWORD" > "$state_file")

# realm-export/keyward-upstream-realm.json (client keyward-broker) and keyward-realm.json (identity
# provider "upstream") both say ${KEYWARD_UPSTREAM_SECRET}: Keycloak puts this variable's value there
# when it imports them. A random one unless set: the import happens once, into a new database, so a
# new value on a later run changes nothing, and no secret sits in git.
export KEYWARD_UPSTREAM_SECRET=${KEYWARD_UPSTREAM_SECRET:-$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')}

# --spi-vault--keyward--enabled: ${vault.NAME} in realm settings reads the realm's secrets in the
# credential vault (provider-credential-vault/README.md); start-dev keeps a generated vault key in data/keyward.
"$kc_home/bin/kc.sh" start-dev --import-realm \
  --http-port="$http_port" --http-management-port="$management_port" --health-enabled=true \
  --spi-vault--keyward--enabled=true "${db_args[@]}" &
kc_pid=$!
# Ctrl-C / TERM stop Keycloak gracefully (kc.sh forwards TERM to its JVM).
trap 'kill -TERM $kc_pid 2>/dev/null; wait $kc_pid; exit 0' INT TERM

until curl -fs -o /dev/null "http://localhost:$management_port/health/ready"; do
  kill -0 $kc_pid 2>/dev/null || { wait $kc_pid; exit $?; }
  sleep 1
done

cat <<EOF

==================================================================================
 Keycloak 26.7.3 with Keyward is running (database: $db)
   Demo realm login (account console): http://localhost:$http_port/realms/keyward/account
   Test identity provider (realm):     http://localhost:$http_port/admin/master/console/#/keyward-upstream
   Admin console:                      http://localhost:$http_port/admin/
   Admin user:      $KC_BOOTSTRAP_ADMIN_USERNAME
   Admin password:  $KC_BOOTSTRAP_ADMIN_PASSWORD
EOF
if [ "$admin_known" = false ]; then
  echo "   (existing database: Keycloak keeps the admin it got when that database was created)"
fi
cat <<EOF
   Add a user: admin console > realm "keyward" > Users > Create, then Credentials > Credential
   reset > "Set OPAQUE password" (needs an SMTP server: Realm settings > Email). Without one, for a
   local try: turn on "Migrate legacy passwords" (with an end date) on the OPAQUE step of flow
   "keyward forms" and set a temporary password; the first sign-in moves it to OPAQUE.
   Stop with Ctrl-C.
==================================================================================

EOF
wait $kc_pid
