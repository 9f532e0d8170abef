package io.eventfn.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/** Where the checked files are: the repository root (surefire passes {@code repository.root}) and what is under it. */
final class Repository {

    private static final Pattern DOCUMENTED_VARIABLE = Pattern.compile("^\\|\\s*`([A-Z][A-Z0-9_]*)`\\s*\\|");
    private static final Path ROOT = locateRoot();
    private static final List<Overlay> OVERLAYS = Overlay.all(ROOT);
    private static final AppEnvironment APP = AppEnvironment.read(ROOT.resolve("function-app/src/main/resources/application.properties"));

    private Repository() {
    }

    static Path root() {
        return ROOT;
    }

    /** Every overlay, rendered once for all tests (method source of the parameterized tests). */
    static List<Overlay> overlays() {
        return OVERLAYS;
    }

    static AppEnvironment app() {
        return APP;
    }

    /**
     * The variables the README's configuration table documents (first column of the table under
     * "## Configuration"). A variable the app reads through code rather than an application.properties binding
     * (KAFKA_SASL_USERNAME, for one) is still documented there.
     */
    static Set<String> documentedVariables() {
        Set<String> names = new TreeSet<>();
        boolean inConfiguration = false;
        try {
            for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
                if (line.startsWith("## ")) {
                    inConfiguration = line.trim().equals("## Configuration");
                }
                Matcher row = DOCUMENTED_VARIABLE.matcher(line);
                if (inConfiguration && row.find()) {
                    names.add(row.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the README", e);
        }
        return names;
    }

    /** KEDA's CRDs, kept beside the repository in {@code ../shared/schemas/keda}; absent outside this workplace. */
    static Optional<Path> kedaSchemas() {
        Path schemas = ROOT.resolve("../shared/schemas/keda").normalize();
        return Files.isRegularFile(schemas.resolve("keda.sh_scaledobjects.yaml")) ? Optional.of(schemas) : Optional.empty();
    }

    static JsonNode container(Overlay overlay) {
        JsonNode containers = overlay.only("Deployment").path("spec").path("template").path("spec").path("containers");
        if (containers.size() != 1) {
            throw new AssertionError("overlay " + overlay.name() + ": the Deployment has " + containers.size()
                    + " containers; the checks (and KEDA's envSourceContainerName default) expect the app's only");
        }
        return containers.get(0);
    }

    private static Path locateRoot() {
        String configured = System.getProperty("repository.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No repository root (a directory with deploy/ and pom.xml) at or above " + start);
    }
}
