#!/bin/sh
# Builds Spillway and runs the sample webapp in a real Tomcat 11 distribution from Maven Central,
# on http://localhost:8080/ with a small heap, so that large uploads show what Spillway does.
#
#   ./scripts/run-sample.sh                 # heap 128m, port 8080
#   SPILLWAY_HEAP=64m SPILLWAY_PORT=9090 ./scripts/run-sample.sh
#
# Needs Java 17+ and Maven 3.8+. Uploaded files go to sample-webapp/target/tomcat-base/spillway-sample-files.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
HEAP=${SPILLWAY_HEAP:-128m}
PORT=${SPILLWAY_PORT:-8080}

echo "building (mvn -B -q -pl sample-webapp -am package -DskipTests) ..."
mvn -B -q -pl sample-webapp -am package -DskipTests

CATALINA_HOME="$ROOT/sample-webapp/target/tomcat"
CATALINA_BASE="$ROOT/sample-webapp/target/tomcat-base"
if [ ! -f "$CATALINA_HOME/bin/catalina.sh" ]; then
  echo "the Tomcat distribution was not unpacked to $CATALINA_HOME" >&2
  exit 1
fi

# a separate CATALINA_BASE: the unpacked distribution stays pristine, uploads survive rebuilds
rm -rf "$CATALINA_BASE/conf" "$CATALINA_BASE/webapps" "$CATALINA_BASE/work"
mkdir -p "$CATALINA_BASE/conf" "$CATALINA_BASE/logs" "$CATALINA_BASE/temp" "$CATALINA_BASE/webapps" "$CATALINA_BASE/work"
cp -R "$CATALINA_HOME/conf/." "$CATALINA_BASE/conf/"
sed -e "s/port=\"8080\"/port=\"$PORT\"/" -e 's/port="8005"/port="-1"/' \
  "$CATALINA_HOME/conf/server.xml" > "$CATALINA_BASE/conf/server.xml"
cp "$ROOT/sample-webapp/target/spillway-sample.war" "$CATALINA_BASE/webapps/ROOT.war"

if [ -z "${JAVA_HOME:-}" ] && [ -z "${JRE_HOME:-}" ]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  export JAVA_HOME
fi
export CATALINA_HOME CATALINA_BASE
CATALINA_OPTS="-Xmx$HEAP ${CATALINA_OPTS:-}"
export CATALINA_OPTS

echo "starting Tomcat $(sed -n 's/^ *Apache Tomcat Version \(.*\)$/\1/p' "$CATALINA_HOME/RELEASE-NOTES" | head -n 1) with -Xmx$HEAP on http://localhost:$PORT/ (Ctrl+C stops it)"
exec "$CATALINA_HOME/bin/catalina.sh" run
