package io.eventfn.scaling;

import java.nio.file.Files;
import java.nio.file.Path;

import io.eventfn.kafka.local.PackagedApp;

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
        Path packaged = Path.of(System.getProperty(property, "../function-app/target/quarkus-app/quarkus-run.jar"));
        Path jar = workDir().resolve(name).resolve(packaged.getFileName());
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        return PackagedApp.copyOf(packaged, workDir().resolve(name));
    }
}
