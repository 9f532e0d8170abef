package io.eventfn.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged app as a real OS process — the jar, or the native binary when {@code -Dnative} built one — started
 * with environment variables only, exactly as a user runs it. Stopped only through the {@link Process} handle.
 */
public final class AppProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int httpPort;

    private AppProcess(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /** Starts the app with exactly these variables (plus PATH and JAVA_HOME), nothing inherited. */
    public static AppProcess start(Map<String, String> environment, Path workDir) {
        try {
            Files.createDirectories(workDir);
            Path log = Files.createTempFile(workDir, "app-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command());
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            builder.environment().putAll(environment);
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            int port = Integer.parseInt(environment.getOrDefault("QUARKUS_HTTP_PORT", "8080"));
            return new AppProcess(builder.start(), log, port);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the app", e);
        }
    }

    private static List<String> command() {
        String nativeImage = System.getProperty("native.image.path");
        if (nativeImage != null && Files.isExecutable(Path.of(nativeImage))) {
            return List.of(nativeImage);
        }
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw package first");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    /** The environment a user sets for a run against {@code bootstrapServers}, with a free HTTP port. */
    public static Map<String, String> environment(String bootstrapServers) {
        Map<String, String> environment = new HashMap<>();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(FreePort.find()));
        return environment;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM: what Kubernetes sends on scale-in. */
    public void sigterm() {
        process.destroy();
    }

    /** SIGKILL: a crash. */
    public void sigkill() {
        process.destroyForcibly();
    }

    /** @return the exit code, or throws if the process is still running after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("app still running after " + timeout + "; log:\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** @return the HTTP status of GET {@code path} on the app, or -1 when it does not answer. */
    public int httpStatus(String path) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                            .timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
