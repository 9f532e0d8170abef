package io.eventfn.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's build output is, seen from the directory the benchmark was started in. */
final class RepositoryLayout {

    private RepositoryLayout() {
    }

    /** The nearest directory, from the working directory up, holding function-app and verification/local-kafka. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("function-app")) && Files.isDirectory(candidate.resolve("verification/local-kafka"))) {
                return candidate;
            }
        }
        return dir;
    }

    /**
     * Points {@code LocalKafkaBroker} at the broker's jars ({@code verification/local-kafka/target/kafka-libs}) unless the system
     * property {@code local.kafka.libs} already does: from {@code benchmarks.jar} it would look beside its own jar.
     */
    static void locateBrokerJars() {
        if (System.getProperty("local.kafka.libs") == null) {
            Path libs = root().resolve("verification/local-kafka/target/kafka-libs");
            if (Files.isDirectory(libs)) {
                System.setProperty("local.kafka.libs", libs.toString());
            }
        }
    }
}
