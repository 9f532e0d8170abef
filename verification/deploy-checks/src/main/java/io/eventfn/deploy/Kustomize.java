package io.eventfn.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Kustomize itself, run as a child process: {@code kubectl kustomize DIR} (Kustomize is built into kubectl), or the
 * standalone {@code kustomize build DIR}. What the checks see is exactly what {@code kubectl apply -k} would send.
 */
public final class Kustomize {

    /** System property naming the kubectl (or kustomize) executable to use instead of the one on the PATH. */
    public static final String EXECUTABLE_PROPERTY = "deploy-checks.kustomize";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final List<String> command;

    private Kustomize(List<String> command) {
        this.command = command;
    }

    /** @return kubectl (or kustomize) from {@value #EXECUTABLE_PROPERTY} or the PATH; empty where there is none */
    public static Optional<Kustomize> find() {
        String configured = System.getProperty(EXECUTABLE_PROPERTY, "").trim();
        if (!configured.isEmpty()) {
            return Optional.of(of(Path.of(configured)));
        }
        return onPath("kubectl").or(() -> onPath("kustomize")).map(Kustomize::of);
    }

    /** Why {@link #find()} found nothing, for a test's skip message. */
    public static String notFound() {
        return "neither kubectl nor kustomize is on the PATH (" + System.getenv().getOrDefault("PATH", "") + "), and"
                + " -D" + EXECUTABLE_PROPERTY + " is not set: install kubectl (it contains Kustomize v5) to render"
                + " deploy/ and run these checks";
    }

    private static Kustomize of(Path executable) {
        String name = executable.getFileName().toString().toLowerCase(Locale.ROOT);
        return new Kustomize(name.startsWith("kustomize")
                ? List.of(executable.toString(), "build")
                : List.of(executable.toString(), "kustomize"));
    }

    private static Optional<Path> onPath(String name) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, windows ? name + ".exe" : name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * @return the resources the kustomization in {@code directory} renders, as YAML documents
     * @throws IllegalStateException when Kustomize fails (with its message) or takes longer than a minute
     */
    public String build(Path directory) {
        List<String> arguments = new ArrayList<>(command);
        arguments.add(directory.toAbsolutePath().toString());
        Path output = null;
        Path errors = null;
        Process process = null;
        try {
            output = Files.createTempFile("kustomize-", ".yaml");
            errors = Files.createTempFile("kustomize-", ".err");
            process = new ProcessBuilder(arguments).redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(String.join(" ", arguments) + " did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", arguments) + " failed (exit " + process.exitValue() + "): "
                        + Files.readString(errors, StandardCharsets.UTF_8).strip());
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", arguments), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", arguments), e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                process.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
            }
            deleteQuietly(output);
            deleteQuietly(errors);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
