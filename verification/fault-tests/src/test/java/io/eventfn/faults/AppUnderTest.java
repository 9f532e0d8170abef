package io.eventfn.faults;

import java.nio.file.Path;

import io.eventfn.kafka.local.PackagedApp;
import io.eventfn.kafka.local.RepositoryRoot;

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
            String configured = System.getProperty("fault.app.jar");
            jar = PackagedApp.copyOf(configured != null ? Path.of(configured) : RepositoryRoot.packagedAppJar(),
                    FaultRun.workDir().resolve("app-under-test"));
        }
        return jar;
    }
}
