package io.eventfn.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A consumer under test running as a real OS process — the packaged app (function-app's {@code quarkus-run.jar} or its
 * native executable) or a main class such as a benchmark's baseline — configured by environment variables as in a
 * container, and stopped only through its {@link Process} handle: SIGTERM as Kubernetes sends on scale-in, SIGKILL for
 * a crash. Used by the demo, the benchmarks, the fault-injection tests, the scaling simulator and function-app's tests.
 */
public final class PackagedApp implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final int httpPort;
    private final Instant started;
    /** Kills the process if this JVM exits first (Ctrl-C on a benchmark); null unless asked for. */
    private final Thread killOnExit;

    private PackagedApp(String name, Process process, Path log, int httpPort, Instant started, boolean stopWithThisJvm) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.started = started;
        this.killOnExit = stopWithThisJvm ? new Thread(process::destroyForcibly, "kill-" + name) : null;
        if (killOnExit != null) {
            Runtime.getRuntime().addShutdownHook(killOnExit);
        }
    }

    /** How the process is started. */
    private enum Launch { JAR, NATIVE_EXECUTABLE, MAIN_CLASS }

    /** The app run as {@code java [jvmOptions] -jar jar}. */
    public static Builder jar(Path jar) {
        return new Builder(Launch.JAR, jar.toString());
    }

    /** The app's native executable, run as it is ({@link Builder#jvmOptions} and {@link Builder#java} do not apply). */
    public static Builder nativeExecutable(Path executable) {
        return new Builder(Launch.NATIVE_EXECUTABLE, executable.toString());
    }

    /**
     * {@code java [jvmOptions] -cp <this JVM's class path> mainClass}: a consumer written in the harness itself, such
     * as a benchmark's hand-written baseline, launched and measured exactly as the app is.
     */
    public static Builder mainClass(Class<?> mainClass) {
        return new Builder(Launch.MAIN_CLASS, mainClass.getName());
    }

    /** The {@code java} of the JVM this code runs on. */
    public static Path runningJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * The app needs Java 21+, and a tool may run on an older {@code java} from the PATH: {@code JAVA_HOME}'s
     * {@code java} when it is set (the JDK the build used), else {@link #runningJava()}.
     */
    public static Path javaFromJavaHome() {
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && Files.isExecutable(Path.of(javaHome, "bin", "java"))) {
            return Path.of(javaHome, "bin", "java");
        }
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("The consumer app needs Java 21 or newer, and this is Java "
                    + Runtime.version().feature() + ": set JAVA_HOME to a JDK 21+ (the one ./mvnw used).");
        }
        return runningJava();
    }

    /**
     * Copies the packaged app's directory (the {@code quarkus-app} that holds {@code jar}) to {@code directory}, so that
     * a rebuild of the app meanwhile does not change the app a long run restarts.
     *
     * @return the copied jar
     */
    public static Path copyOf(Path jar, Path directory) {
        Path packaged = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(packaged)) {
            throw new IllegalStateException(packaged + " is missing: package the app first "
                    + "(./mvnw -B -DskipTests package from the repository root)");
        }
        Path from = packaged.getParent();
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = directory.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the packaged app from " + from + " to " + directory, e);
        }
        return directory.resolve(packaged.getFileName());
    }

    /**
     * As {@link #copyOf}, into an emptied {@code directory}: a copy left there by an earlier build may be of another app
     * (another jar set, a stale {@code app.aot}) and is replaced as a whole.
     */
    public static Path freshCopyOf(Path jar, Path directory) {
        if (Files.exists(directory)) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the old copy " + directory, e);
            }
        }
        return copyOf(jar, directory);
    }

    /** How to start the app; {@link #log(Path)} is required. */
    public static final class Builder {

        private final Launch launch;
        private final String program;
        private String name = "app";
        private final Map<String, String> environment = new LinkedHashMap<>();
        private boolean inheritEnvironment;
        private final List<String> jvmOptions = new ArrayList<>();
        private Path java = runningJava();
        private Path workingDirectory;
        private Path log;
        private boolean stopWithThisJvm;

        private Builder(Launch launch, String program) {
            this.launch = launch;
            this.program = program;
        }

        /** The name failure messages and {@link PackagedApp#toString()} use; "app" unless set. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Variables the app gets; {@code QUARKUS_HTTP_PORT} (8080 when absent) is where {@link #httpStatus} asks. */
        public Builder environment(Map<String, String> environment) {
            this.environment.putAll(environment);
            return this;
        }

        /**
         * The app gets this process's environment plus {@link #environment}. Without it, the app gets exactly those
         * variables and PATH, nothing inherited, so that a test sees what a user's configuration alone does.
         */
        public Builder inheritEnvironment() {
            this.inheritEnvironment = true;
            return this;
        }

        /** Options before {@code -jar}, such as {@code -Xmx256m} or {@code -XX:AOTCache=app.aot}. */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions.addAll(options);
            return this;
        }

        /** The {@code java} executable; {@link #runningJava()} unless set. */
        public Builder java(Path java) {
            this.java = java;
            return this;
        }

        /** The app's working directory; this process's unless set. */
        public Builder workingDirectory(Path directory) {
            this.workingDirectory = directory;
            return this;
        }

        /** Where the app's standard output and error go; the file is created or truncated, its directory created. */
        public Builder log(Path file) {
            this.log = file;
            return this;
        }

        /** The process is killed when this JVM exits before it was stopped: for a tool a user may interrupt. */
        public Builder stopWithThisJvm() {
            this.stopWithThisJvm = true;
            return this;
        }

        /** Starts the app; its standard input stays a pipe, so that it never reads a terminal. */
        public PackagedApp start() {
            if (log == null) {
                throw new IllegalStateException("no log file for " + name + ": call log(Path) before start()");
            }
            if (launch == Launch.JAR && !Files.isRegularFile(Path.of(program))) {
                throw new IllegalStateException(Path.of(program).toAbsolutePath() + " is missing: package the app first "
                        + "(./mvnw -B -DskipTests package from the repository root)");
            }
            List<String> command = new ArrayList<>();
            switch (launch) {
                case NATIVE_EXECUTABLE -> command.add(program);
                case JAR -> {
                    command.add(java.toString());
                    command.addAll(jvmOptions);
                    command.addAll(List.of("-jar", program));
                }
                case MAIN_CLASS -> {
                    command.add(java.toString());
                    command.addAll(jvmOptions);
                    command.addAll(List.of("-cp", System.getProperty("java.class.path"), program));
                }
            }
            try {
                Path parent = log.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                ProcessBuilder builder = new ProcessBuilder(command);
                if (workingDirectory != null) {
                    builder.directory(workingDirectory.toFile());
                }
                if (!inheritEnvironment) {
                    builder.environment().clear();
                    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
                }
                builder.environment().putAll(environment);
                builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
                int httpPort = Integer.parseInt(environment.getOrDefault("QUARKUS_HTTP_PORT", "8080"));
                Instant started = Instant.now();
                return new PackagedApp(name, builder.start(), log, httpPort, started, stopWithThisJvm);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the app " + name + " from " + program, e);
            }
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** Just before the process was started. */
    public Instant started() {
        return started;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM: what Kubernetes sends a pod on scale-in and rolling updates. */
    public void sigterm() {
        process.destroy();
    }

    /** SIGKILL: a crash, an OOM kill, a node lost. */
    public void sigkill() {
        process.destroyForcibly();
    }

    /**
     * SIGSTOP: the process is frozen as a long GC pause, a CPU-starved container or a VM stall would freeze it; it
     * holds its connections but sends nothing, so the group's session timeout runs out. {@link #resume()} undoes it.
     */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT: a process {@link #pause() paused} runs on from where it stopped. */
    public void resume() {
        signal("CONT");
    }

    /** Sends {@code signal} to this process, by its pid (the JDK's process handle sends only SIGTERM and SIGKILL). */
    private void signal(String signal) {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " is not running: cannot send SIG" + signal);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not send SIG" + signal + " to " + this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits up to {@code timeout} for the app to exit; returns early, with true, when it does. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @return the exit code
     * @throws IllegalStateException with the log's tail when the app still runs after {@code timeout}
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!waitFor(timeout)) {
                throw new IllegalStateException(name + " still running " + timeout + " after the signal; log tail:\n"
                        + logTail(60));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Fails with the end of the log when the process has exited: for a loop that waits on the process's work. */
    public void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with status " + process.exitValue() + "; end of " + log
                    + ":\n" + logTail(40));
        }
    }

    /** @throws IllegalThreadStateException while the app runs */
    public int exitValue() {
        return process.exitValue();
    }

    /** SIGTERM, so that the app commits what it processed; SIGKILL if it has not exited after {@code grace}. */
    public void stop(Duration grace) throws InterruptedException {
        forgetShutdownHook();
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(grace)) {
            process.destroyForcibly();
            waitFor(grace);
        }
    }

    public Path log() {
        return log;
    }

    /** Everything the app wrote so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e + ")";
        }
    }

    /** The last {@code lines} lines of the app's output, for failure messages. */
    public String logTail(int lines) {
        return LogTail.of(log, lines);
    }

    /** @return the HTTP status of GET {@code path} on the app, or -1 when it does not answer */
    public int httpStatus(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Kills the app if it still runs and waits for it: cleanup, whatever happened. */
    @Override
    public void close() {
        forgetShutdownHook();
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void forgetShutdownHook() {
        if (killOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException exiting) {
                // this JVM is exiting: the hook kills the process
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", port " + httpPort + ")";
    }
}
