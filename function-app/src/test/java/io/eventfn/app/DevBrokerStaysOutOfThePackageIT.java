package io.eventfn.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Dev mode's broker (dev-kafka, local-kafka, Kafka's server jars) never reaches the packaged app: dev-kafka's runtime
 * jar, the one piece the app depends on, holds no class.
 */
class DevBrokerStaysOutOfThePackageIT {

    private static final Path LIB = Path.of("target", "quarkus-app", "lib");

    @Test
    void thePackagedAppHoldsNoBrokerCodeAndDevKafkasRuntimeJarHoldsNoClass() throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.walk(LIB)) {
            jars = files.filter(file -> file.toString().endsWith(".jar")).toList();
        }

        assertThat(jars).as("the app's libraries").isNotEmpty()
                .noneMatch(jar -> jar.getFileName().toString().matches(
                        ".*(local-kafka|dev-kafka-deployment|kafka_2\\.13|kafka-server|kafka-storage|kafka-raft|"
                                + "quarkus-core-deployment|scala-library).*\\.jar"));
        Path devKafka = jars.stream().filter(jar -> jar.getFileName().toString().contains("dev-kafka")).findFirst()
                .orElseThrow();
        try (JarFile jar = new JarFile(devKafka.toFile())) {
            assertThat(jar.stream().map(entry -> entry.getName())).as("entries of %s", devKafka)
                    .noneMatch(name -> name.endsWith(".class"))
                    .contains("META-INF/quarkus-extension.properties");
        }
    }
}
