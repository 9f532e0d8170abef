#!/bin/sh
# Entrypoint of the JVM image (Dockerfile.jvm): starts the app with the trained AOT cache and the image's flags
# (jvm.args), then the user's, which the JVM applies last so they win over the image's:
#   JAVA_OPTS         JVM options, as in Quarkus's and Red Hat's OpenJDK images;
#   JAVA_OPTS_APPEND  more JVM options, appended after JAVA_OPTS (the variable Quarkus's images document).
# Unlike those images' run-java.sh, JAVA_OPTS does not drop the image's flags: they are the ones the AOT cache was
# trained with. A flag that changes the GC (or turns compressed oops off) makes the JVM ignore the cache, with a
# warning, and start without it. Both variables are split on white space; quotes inside them are not interpreted.
# Arguments to this script are passed to the app.
set -eu
# Word splitting of the two variables is wanted; file-name expansion of them is not.
set -f
# The cache records the class path relative to the application directory, wherever the pod's workingDir points.
cd "$(dirname "$0")"
# exec: java becomes the container's process 1 and receives SIGTERM itself (the app drains and commits on it).
# shellcheck disable=SC2086
exec java -XX:AOTCache=app.aot @jvm.args ${JAVA_OPTS:-} ${JAVA_OPTS_APPEND:-} -jar quarkus-run.jar "$@"
