package io.eventfn.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.eventfn.kafka.local.LoopbackPort;
import io.eventfn.kafka.local.PackagedApp;

/**
 * This module's packaged app as the integration tests launch it: the native binary when {@code -Dnative} built one
 * (system property {@code native.image.path}), else {@code target/quarkus-app/quarkus-run.jar}; started with
 * environment variables only, exactly as a user runs it.
 */
public final class AppUnderTest {

    private AppUnderTest() {
    }

    /** Starts the app with exactly these variables (plus PATH), nothing inherited; its log is a new file in {@code workDir}. */
    public static PackagedApp start(Map<String, String> environment, Path workDir) {
        return start(environment, workDir, List.of());
    }

    /** As {@link #start(Map, Path)}, with options for the JVM (ignored by the native executable). */
    public static PackagedApp start(Map<String, String> environment, Path workDir, List<String> jvmOptions) {
        Path log;
        try {
            Files.createDirectories(workDir);
            log = Files.createTempFile(workDir, "app-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the app's log in " + workDir, e);
        }
        PackagedApp.Builder app = isNative()
                ? PackagedApp.nativeExecutable(Path.of(System.getProperty("native.image.path")))
                : PackagedApp.jar(Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath());
        return app.environment(environment).jvmOptions(jvmOptions).log(log).start();
    }

    /** Whether the integration tests run the native executable ({@code -Dnative} built one) rather than the jar. */
    public static boolean isNative() {
        String nativeImage = System.getProperty("native.image.path");
        return nativeImage != null && Files.isExecutable(Path.of(nativeImage));
    }

    /** The environment a user sets for a run against {@code bootstrapServers}, with a free HTTP port. */
    public static Map<String, String> environment(String bootstrapServers) {
        Map<String, String> environment = new HashMap<>();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(LoopbackPort.free()));
        return environment;
    }
}
