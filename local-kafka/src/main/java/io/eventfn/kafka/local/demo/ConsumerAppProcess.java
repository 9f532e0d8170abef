package io.eventfn.kafka.local.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.eventfn.kafka.local.LogTail;

/**
 * The consumer application ({@code function-app}'s {@code quarkus-run.jar}) running as a child
 * process of the demo, configured through environment variables as it would be in a container.
 */
final class ConsumerAppProcess {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path logFile;

    private ConsumerAppProcess(Process process, Path logFile) {
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code java -jar appJar} with {@code environment} added to this JVM's; output goes to {@code logFile}. */
    static ConsumerAppProcess start(Path appJar, Map<String, String> environment, Path logFile) throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Path java = appJava();
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-jar", appJar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
        // Standard input stays a pipe: the app must not read the demo's terminal.
        builder.environment().putAll(environment);
        return new ConsumerAppProcess(builder.start(), logFile);
    }

    /**
     * The app needs Java 21+. The demo itself may run on an older {@code java} from the PATH, so prefer the JDK the
     * build used: {@code JAVA_HOME} when it is set, else the demo's own runtime.
     */
    static Path appJava() {
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && Files.isExecutable(Path.of(javaHome, "bin", "java"))) {
            return Path.of(javaHome, "bin", "java");
        }
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("The consumer app needs Java 21 or newer, and this is Java "
                    + Runtime.version().feature() + ": set JAVA_HOME to a JDK 21+ (the one ./mvnw used).");
        }
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    int exitValue() {
        return process.exitValue();
    }

    Path logFile() {
        return logFile;
    }

    String logTail(int lines) {
        return LogTail.of(logFile, lines);
    }

    /** Waits up to {@code timeout} for the app to exit; returns early when it does. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGTERM, so the app commits what it processed; SIGKILL if it has not exited after 30 s. */
    void stop() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
