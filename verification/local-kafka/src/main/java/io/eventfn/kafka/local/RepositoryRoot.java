package io.eventfn.kafka.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checked-out repository the harnesses run from: the build passes {@code repository.root}, and a run from an IDE
 * or a jar finds it by walking up from the working directory. Every path a harness needs is resolved from here, never
 * from the module's own directory.
 */
public final class RepositoryRoot {

    /** The system property the harness modules' surefire and failsafe configurations set. */
    public static final String PROPERTY = "repository.root";

    private RepositoryRoot() {
    }

    /**
     * {@code repository.root} when set, else the nearest directory at or above the working directory that holds the
     * root {@code pom.xml}, {@code function-app/} and {@code deploy/}.
     */
    public static Path find() {
        String configured = System.getProperty(PROPERTY);
        Path start = (configured != null ? Path.of(configured) : Path.of("")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("function-app"))
                    && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No repository root (a directory with pom.xml, function-app/ and deploy/) at or"
                + " above " + start + ": run from inside the repository or set -D" + PROPERTY + "=DIR");
    }

    /** function-app's {@code quarkus-run.jar}, where {@code ./mvnw package} puts it. */
    public static Path packagedAppJar() {
        return find().resolve("function-app/target/quarkus-app/quarkus-run.jar");
    }

    /** The broker's jars, where this module's build copies them ({@code local.kafka.libs} points there). */
    public static Path brokerJars() {
        return find().resolve("verification/local-kafka/target/kafka-libs");
    }
}
