package io.eventfn.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.eventfn.kafka.local.RepositoryRoot;

import tools.jackson.databind.JsonNode;

/** Where the checked files are: the repository root (the test kit's {@link RepositoryRoot}) and what is under it. */
final class Repository {

    private static final Pattern DOCUMENTED_VARIABLE = Pattern.compile("^\\|\\s*`([A-Z][A-Z0-9_]*)`\\s*\\|");
    private static final Path ROOT = RepositoryRoot.find();
    private static final AppEnvironment APP = AppEnvironment.read(ROOT.resolve("function-app/src/main/resources/application.properties"));

    /** Rendered on first use, once for all tests: only where Kustomize is there ({@link RequiresKustomize}). */
    private static final class Rendered {
        static final List<Overlay> VARIANTS = renderVariants();
    }

    private Repository() {
    }

    static Path root() {
        return ROOT;
    }

    /**
     * Every overlay as it is, with each component of deploy/components added, and with all of them: what a user can
     * apply (method source of the parameterized tests).
     */
    static List<Overlay> overlays() {
        return Rendered.VARIANTS;
    }

    private static List<Overlay> renderVariants() {
        Kustomize kustomize = Kustomize.find().orElseThrow(() -> new IllegalStateException(Kustomize.notFound()));
        List<Path> components = Overlay.componentDirectories(ROOT);
        List<Overlay> variants = new ArrayList<>();
        for (Path overlay : Overlay.overlayDirectories(ROOT)) {
            variants.add(Overlay.render(kustomize, overlay, List.of()));
            for (Path component : components) {
                variants.add(Overlay.render(kustomize, overlay, List.of(component)));
            }
            if (components.size() > 1) {
                variants.add(Overlay.render(kustomize, overlay, components));
            }
        }
        return List.copyOf(variants);
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

    /** System property: more directories (comma-separated) of CustomResourceDefinition files to validate against. */
    static final String EXTRA_SCHEMAS_PROPERTY = "deploy-checks.schemas";

    /**
     * CustomResourceDefinitions kept beside the repository ({@code ../shared/schemas}, every YAML file below it) and in
     * the directories of {@value #EXTRA_SCHEMAS_PROPERTY}: one schema per served version.
     */
    static List<CrdSchema> crdSchemas() {
        List<Path> directories = new ArrayList<>(List.of(ROOT.resolve("../shared/schemas").normalize()));
        for (String extra : System.getProperty(EXTRA_SCHEMAS_PROPERTY, "").split(",")) {
            if (!extra.isBlank()) {
                directories.add(Path.of(extra.trim()));
            }
        }
        List<CrdSchema> schemas = new ArrayList<>();
        for (Path directory : directories) {
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (var files = Files.walk(directory)) {
                files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
                        .forEach(f -> schemas.addAll(CrdSchema.servedVersionsOf(f)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + directory, e);
            }
        }
        return schemas;
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
}
