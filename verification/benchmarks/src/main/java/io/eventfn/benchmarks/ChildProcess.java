package io.eventfn.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A consumer under test running as its own JVM (the baseline's main class or the app's jar), configured through
 * environment variables only, with its output in a log file. Stopped by its handle.
 */
final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    /** Kills the child if the benchmark itself is stopped (Ctrl-C) while it runs. */
    private final Thread killOnExit;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.killOnExit = new Thread(process::destroyForcibly, "kill-consumer-under-test");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** {@code java <jvmOptions> -jar <jar>}. */
    static ChildProcess jar(Path jar, List<String> jvmOptions, Map<String, String> environment, Path log) {
        List<String> command = java(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        return start(command, environment, log);
    }

    /** {@code java <jvmOptions> -cp <this JVM's class path> <mainClass>}. */
    static ChildProcess mainClass(Class<?> mainClass, List<String> jvmOptions, Map<String, String> environment,
            Path log) {
        List<String> command = java(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        return start(command, environment, log);
    }

    private static List<String> java(List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        return command;
    }

    private static ChildProcess start(List<String> command, Map<String, String> environment, Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            builder.environment().putAll(environment);
            return new ChildProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Fails with the end of the log when the process has exited. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("The consumer under test exited with status " + process.exitValue()
                    + "; end of " + log + ":\n" + tail(40));
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** SIGTERM, as Kubernetes stops a pod; SIGKILL if it is still running after 30 s. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException exiting) {
            // the hook is running or about to: it kills the process
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
