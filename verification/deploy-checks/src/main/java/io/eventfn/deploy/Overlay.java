package io.eventfn.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One directory of deploy/overlays, optionally with components of deploy/components added, rendered by Kustomize:
 * what {@code kubectl apply -k} would send to the cluster, plus the Secrets it expects to find there
 * ({@code *.example.yaml} files in the overlay document Secrets that are created out of band, never applied).
 *
 * @param name       the overlay's directory name, then {@code +component} for each component added
 * @param components the deploy/components added to the overlay's kustomization, by directory name
 */
public record Overlay(String name, Path directory, List<String> components, List<ObjectNode> resources,
        List<JsonNode> documentedSecrets) {

    /** @return every overlay under {@code deploy/overlays}, rendered as it is */
    public static List<Overlay> all(Path repositoryRoot) {
        Kustomize kustomize = Kustomize.find().orElseThrow(() -> new IllegalStateException(Kustomize.notFound()));
        return overlayDirectories(repositoryRoot).stream().map(d -> render(kustomize, d, List.of())).toList();
    }

    /** @return the directories of {@code deploy/overlays} that hold a kustomization.yaml, sorted */
    public static List<Path> overlayDirectories(Path repositoryRoot) {
        return kustomizations(repositoryRoot.resolve("deploy/overlays"));
    }

    /** @return the directories of {@code deploy/components} that hold a kustomization.yaml, sorted */
    public static List<Path> componentDirectories(Path repositoryRoot) {
        Path components = repositoryRoot.resolve("deploy/components");
        return Files.isDirectory(components) ? kustomizations(components) : List.of();
    }

    private static List<Path> kustomizations(Path parent) {
        try (Stream<Path> directories = Files.list(parent)) {
            List<Path> found = directories.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml"))).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalStateException("No kustomization (directory with a kustomization.yaml) in " + parent);
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + parent, e);
        }
    }

    /**
     * Renders an overlay the way a user who adds {@code components} to its kustomization.yaml gets it: on a copy of
     * deploy/ whose copy of the overlay lists them (so they apply before the overlay's own images and patches, as
     * they would in the user's file).
     *
     * @param components directories of deploy/components; none renders the overlay as it is
     */
    public static Overlay render(Kustomize kustomize, Path overlayDirectory, List<Path> components) {
        Path directory = overlayDirectory.toAbsolutePath().normalize();
        List<String> componentNames = components.stream().map(c -> c.getFileName().toString()).toList();
        String name = String.join("+", Stream.concat(Stream.of(directory.getFileName().toString()), componentNames.stream()).toList());
        String rendered = components.isEmpty() ? kustomize.build(directory) : buildWithComponents(kustomize, directory, componentNames);
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode document : YamlDocuments.parseAll(rendered, "the output of " + kustomize + " " + directory)) {
            resources.add((ObjectNode) document);
        }
        return new Overlay(name, directory, componentNames, List.copyOf(resources), documentedSecrets(directory));
    }

    private static String buildWithComponents(Kustomize kustomize, Path overlay, List<String> components) {
        Path deploy = overlay.getParent().getParent();
        Path copy = null;
        try {
            copy = Files.createTempDirectory("deploy-checks-");
            Path deployCopy = copy.resolve("deploy");
            copyTree(deploy, deployCopy);
            Path kustomization = deployCopy.resolve(deploy.relativize(overlay)).resolve("kustomization.yaml");
            Files.writeString(kustomization, withComponents(Files.readString(kustomization), components));
            return kustomize.build(kustomization.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + deploy + " to render " + overlay + " with " + components, e);
        } finally {
            deleteTree(copy);
        }
    }

    /** Adds the components to a kustomization.yaml's text, to its {@code components:} list if it has one. */
    static String withComponents(String kustomization, List<String> components) {
        StringBuilder entries = new StringBuilder();
        components.forEach(c -> entries.append("  - ../../components/").append(c).append('\n'));
        List<String> lines = new ArrayList<>(kustomization.lines().toList());
        int list = lines.indexOf("components:");
        if (list >= 0) {
            lines.add(list + 1, entries.toString().stripTrailing());
            return String.join("\n", lines) + "\n";
        }
        return kustomization + (kustomization.endsWith("\n") ? "" : "\n") + "components:\n" + entries;
    }

    /** Copies a directory tree, as the renders of a modified overlay need. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void deleteTree(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + directory, e);
        }
    }

    private static List<JsonNode> documentedSecrets(Path directory) {
        List<JsonNode> examples = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(f -> f.getFileName().toString().endsWith(".example.yaml")).sorted()
                    .forEach(f -> examples.addAll(YamlDocuments.readAll(f)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
        return examples.stream().filter(d -> d.path("kind").asString("").equals("Secret")).toList();
    }

    public List<ObjectNode> ofKind(String kind) {
        return resources.stream().filter(r -> r.path("kind").asString("").equals(kind)).toList();
    }

    /** @return the overlay's only resource of that kind; fails when there is none or more than one */
    public ObjectNode only(String kind) {
        List<ObjectNode> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("overlay " + name + " renders " + found.size() + " " + kind + " resources; expected 1");
        }
        return found.getFirst();
    }

    public Optional<ObjectNode> find(String kind, String resourceName) {
        return ofKind(kind).stream().filter(r -> r.path("metadata").path("name").asString("").equals(resourceName)).findFirst();
    }

    /** @return the Secret with that name, rendered or documented in a {@code *.example.yaml} file */
    public Optional<JsonNode> secret(String secretName) {
        return Stream.concat(ofKind("Secret").stream(), documentedSecrets.stream())
                .filter(s -> s.path("metadata").path("name").asString("").equals(secretName))
                .findFirst();
    }

    /** @return the keys of a Secret ({@code data} and {@code stringData}) */
    public static List<String> keysOf(JsonNode secret) {
        List<String> keys = new ArrayList<>(secret.path("data").propertyNames());
        keys.addAll(secret.path("stringData").propertyNames());
        return keys;
    }

    /**
     * @return the variables the container gets with a literal value: ConfigMap entries it imports with
     *         {@code envFrom}, overridden by its {@code env} entries that have a {@code value}
     */
    public Map<String, String> literalEnvironment(JsonNode container) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            if (source.has("configMapRef")) {
                String configMap = source.path("configMapRef").path("name").asString();
                String prefix = source.path("prefix").asString("");
                find("ConfigMap", configMap).ifPresent(c -> c.path("data").properties()
                        .forEach(e -> environment.put(prefix + e.getKey(), e.getValue().asString())));
            }
        }
        for (JsonNode variable : container.path("env")) {
            if (variable.has("value")) {
                environment.put(variable.path("name").asString(), variable.path("value").asString());
            } else {
                environment.remove(variable.path("name").asString());
            }
        }
        return environment;
    }

    @Override
    public String toString() {
        return name;
    }
}
