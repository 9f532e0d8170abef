package io.eventfn.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One directory of deploy/overlays, rendered: what {@code kubectl apply -k} would send to the cluster, plus the
 * Secrets it expects to find there ({@code *.example.yaml} files in the overlay document Secrets that are created
 * out of band, never applied).
 */
public record Overlay(String name, Path directory, List<ObjectNode> resources, List<JsonNode> documentedSecrets) {

    /** @return every overlay under {@code deploy/overlays}, rendered */
    public static List<Overlay> all(Path repositoryRoot) {
        Path overlays = repositoryRoot.resolve("deploy/overlays");
        try (Stream<Path> directories = Files.list(overlays)) {
            List<Overlay> all = directories.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
                    .sorted()
                    .map(Overlay::render)
                    .toList();
            if (all.isEmpty()) {
                throw new IllegalStateException("No overlay (directory with a kustomization.yaml) in " + overlays);
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + overlays, e);
        }
    }

    public static Overlay render(Path directory) {
        List<JsonNode> examples = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(f -> f.getFileName().toString().endsWith(".example.yaml")).sorted()
                    .forEach(f -> examples.addAll(YamlDocuments.readAll(f)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
        List<JsonNode> secrets = examples.stream().filter(d -> d.path("kind").asString("").equals("Secret")).toList();
        return new Overlay(directory.getFileName().toString(), directory, Kustomization.render(directory), secrets);
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
}
