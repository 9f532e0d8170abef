package io.eventfn.scaling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.eventfn.kafka.local.PackagedApp;
import io.eventfn.kafka.local.RepositoryRoot;

/**
 * The packaged app these tests launch: a copy, taken once per test JVM, of the directory function-app packaged (system
 * property {@code scaling.app.jar}), so that a rebuild of function-app meanwhile does not change the app under test.
 */
final class AppJar {

    private AppJar() {
    }

    static Path workDir() {
        return Path.of(System.getProperty("scaling.work", "target/scaling-work")).toAbsolutePath();
    }

    /** Copies taken by this test JVM; a copy left by an earlier build may be of another app and is replaced. */
    private static final Map<String, Path> COPIES = new HashMap<>();

    /** @return the copied quarkus-run.jar of the directory named by system property {@code property} */
    static synchronized Path copy(String property, String name) {
        return COPIES.computeIfAbsent(name, n -> {
            Path packaged = System.getProperty(property) != null ? Path.of(System.getProperty(property))
                    : RepositoryRoot.packagedAppJar();
            Path directory = workDir().resolve(n);
            deleteRecursively(directory);
            return PackagedApp.copyOf(packaged, directory);
        });
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the old copy " + directory, e);
        }
    }
}
