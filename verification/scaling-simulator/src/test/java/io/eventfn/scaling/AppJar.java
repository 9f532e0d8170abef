package io.eventfn.scaling;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

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
        return COPIES.computeIfAbsent(name, n -> PackagedApp.freshCopyOf(System.getProperty(property) != null
                ? Path.of(System.getProperty(property)) : RepositoryRoot.packagedAppJar(), workDir().resolve(n)));
    }
}
