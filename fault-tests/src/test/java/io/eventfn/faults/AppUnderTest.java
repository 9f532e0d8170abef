package io.eventfn.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The packaged app these tests launch: a copy, taken once per test JVM, of the {@code quarkus-app} directory that
 * function-app packaged (system property {@code fault.app.jar}). The copy keeps a long run's restarts on one build even
 * when function-app is rebuilt meanwhile.
 */
final class AppUnderTest {

    private static Path jar;

    private AppUnderTest() {
    }

    static synchronized Path jar() {
        if (jar == null) {
            Path packaged = Path.of(System.getProperty("fault.app.jar",
                    "../function-app/target/quarkus-app/quarkus-run.jar")).toAbsolutePath().normalize();
            if (!Files.isRegularFile(packaged)) {
                throw new IllegalStateException(packaged + " is missing: package the app first "
                        + "(./mvnw -B -DskipTests package from the repository root)");
            }
            Path copy = FaultRun.workDir().resolve("app-under-test");
            copyTree(packaged.getParent(), copy);
            jar = copy.resolve(packaged.getFileName());
        }
        return jar;
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the packaged app from " + from + " to " + to, e);
        }
    }
}
