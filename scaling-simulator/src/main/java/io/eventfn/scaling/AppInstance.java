package io.eventfn.scaling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One replica: the packaged app as an OS process, configured by environment variables only, stopped only through its
 * {@link Process} handle (SIGTERM for a scale-in, SIGKILL for a crash). Adapted from fault-tests' {@code AppProcess}.
 */
public final class AppInstance implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final Instant started;

    private AppInstance(String name, Process process, Path log, Instant started) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.started = started;
    }

    /**
     * Starts {@code java [jvmOptions] -jar jar} with exactly {@code environment} (plus PATH), nothing inherited.
     */
    public static AppInstance start(String name, Path jar, List<String> jvmOptions, Map<String, String> environment,
            Path log) {
        try {
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(jar.toString());
            ProcessBuilder builder = new ProcessBuilder(command).directory(jar.getParent().toFile());
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            builder.environment().putAll(environment);
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Instant started = Instant.now();
            return new AppInstance(name, builder.start(), log, started);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the app " + name + " from " + jar, e);
        }
    }

    public String name() {
        return name;
    }

    public Instant started() {
        return started;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM: what Kubernetes sends a pod on scale-in. */
    public void sigterm() {
        process.destroy();
    }

    /** SIGKILL: a crash. */
    public void sigkill() {
        process.destroyForcibly();
    }

    /** @return the exit code, or empty-handed failure with the log's tail if still running after {@code timeout} */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " still running " + timeout + " after the signal; log tail:\n"
                        + logTail(40));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path log() {
        return log;
    }

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log " + log + " unreadable: " + e + ")";
        }
    }

    /** Kills the process if it still runs and waits for it: cleanup, whatever happened. */
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

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
