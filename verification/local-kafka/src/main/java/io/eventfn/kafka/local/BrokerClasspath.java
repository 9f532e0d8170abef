package io.eventfn.kafka.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.stream.Stream;

/**
 * Where the broker child JVM finds its classes: this module's own classes (for
 * {@link BrokerProcessMain}) plus the broker's jars, which the build copies to {@code target/kafka-libs}.
 *
 * @param moduleClasses this module's jar or {@code target/classes} directory
 * @param kafkaLibs     the directory holding kafka_2.13 and everything it needs at run time
 */
record BrokerClasspath(Path moduleClasses, Path kafkaLibs) {

    /** System property that points at the broker's jars when they are not beside this module's jar. */
    static final String KAFKA_LIBS_PROPERTY = "local.kafka.libs";

    static BrokerClasspath locate() {
        Path moduleClasses = codeSourceOf(BrokerClasspath.class);
        String override = System.getProperty(KAFKA_LIBS_PROPERTY);
        // target/local-kafka.jar and target/classes both have target/ as parent.
        Path kafkaLibs = override != null
                ? Path.of(override).toAbsolutePath()
                : moduleClasses.getParent().resolve("kafka-libs");
        if (!containsKafkaBroker(kafkaLibs)) {
            throw new IllegalStateException("The Kafka broker's jars (kafka_2.13-*.jar and its dependencies) are not in "
                    + kafkaLibs + ". Build the local-kafka module first (run ./mvnw package first), or point the system property "
                    + KAFKA_LIBS_PROPERTY + " at a directory that holds them.");
        }
        return new BrokerClasspath(moduleClasses, kafkaLibs);
    }

    /** The value of {@code -cp} for the child JVM. */
    String asClasspathArgument() {
        return moduleClasses + File.pathSeparator + kafkaLibs.resolve("*");
    }

    /** The java launcher of the running JVM, so the broker runs on the same Java as its parent. */
    static Path javaBinary() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(java)) {
            return java;
        }
        return ProcessHandle.current().info().command().map(Path::of)
                .orElseThrow(() -> new IllegalStateException("Cannot find the java launcher under java.home=" + System.getProperty("java.home")));
    }

    /** The jar or classes directory a class was loaded from. */
    static Path codeSourceOf(Class<?> type) {
        CodeSource codeSource = type.getProtectionDomain().getCodeSource();
        if (codeSource == null || codeSource.getLocation() == null) {
            throw new IllegalStateException("Cannot tell where " + type.getName() + " was loaded from, so cannot find the broker's jars;"
                    + " set the system property " + KAFKA_LIBS_PROPERTY + " to the directory that holds them.");
        }
        try {
            String location = codeSource.getLocation().toURI().toString();
            // Some class loaders report jar:file:/…/local-kafka.jar!/ rather than the jar itself.
            if (location.startsWith("jar:")) {
                location = location.substring("jar:".length(), location.contains("!/") ? location.indexOf("!/") : location.length());
            }
            return Path.of(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            throw new IllegalStateException("Cannot tell where " + type.getName() + " was loaded from: " + codeSource.getLocation(), e);
        }
    }

    private static boolean containsKafkaBroker(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("kafka_2\\.13-.*\\.jar"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }
}
