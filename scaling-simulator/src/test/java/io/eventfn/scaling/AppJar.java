package io.eventfn.scaling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

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

    /** @return the copied quarkus-run.jar of the directory named by system property {@code property} */
    static synchronized Path copy(String property, String name) {
        Path packaged = Path.of(System.getProperty(property, "../function-app/target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath().normalize();
        Path copy = workDir().resolve(name);
        Path jar = copy.resolve(packaged.getFileName());
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        if (!Files.isRegularFile(packaged)) {
            throw new IllegalStateException(packaged + " is missing: package the app first "
                    + "(./mvnw -B -DskipTests package from the repository root)");
        }
        try (Stream<Path> paths = Files.walk(packaged.getParent())) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = copy.resolve(packaged.getParent().relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the packaged app from " + packaged.getParent(), e);
        }
        return jar;
    }
}
