package io.eventfn.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a kustomization directory the way {@code kubectl kustomize} does, for the part of Kustomize that
 * deploy/ uses: {@code resources} (files and kustomization directories), {@code images}, and {@code patches}
 * (strategic-merge patches, and JSON 6902 patches with a {@code target}). Any other field is refused, so a check
 * never passes on manifests it did not really render: teach this class the feature, or keep the overlay simpler.
 */
public final class Kustomization {

    private static final Set<String> SUPPORTED_FIELDS = Set.of("apiVersion", "kind", "resources", "images", "patches");

    private Kustomization() {
    }

    /** @return the resources the kustomization in {@code directory} produces, in order */
    public static List<ObjectNode> render(Path directory) {
        Path file = directory.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No kustomization.yaml in " + directory);
        }
        JsonNode kustomization = YamlDocuments.readOne(file);
        for (String field : kustomization.propertyNames()) {
            if (!SUPPORTED_FIELDS.contains(field)) {
                throw new IllegalArgumentException(file + " uses '" + field + "', which deploy-checks' renderer does not"
                        + " implement (it knows " + SUPPORTED_FIELDS + "): extend io.eventfn.deploy.Kustomization");
            }
        }
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path resource = directory.resolve(entry.asString()).normalize();
            if (Files.isDirectory(resource)) {
                resources.addAll(render(resource));
            } else {
                for (JsonNode document : YamlDocuments.readAll(resource)) {
                    resources.add((ObjectNode) document);
                }
            }
        }
        requireUniqueIds(resources, file);
        // Kustomize's order: patches first, then the image transformer.
        for (JsonNode patch : kustomization.path("patches")) {
            applyPatch(resources, patch, directory);
        }
        for (JsonNode image : kustomization.path("images")) {
            resources.forEach(resource -> setImage(resource, image));
        }
        return resources;
    }

    private static void requireUniqueIds(List<ObjectNode> resources, Path file) {
        Set<ResourceId> seen = new HashSet<>();
        for (ObjectNode resource : resources) {
            if (!seen.add(ResourceId.of(resource))) {
                throw new IllegalArgumentException(file + " produces " + ResourceId.of(resource) + " twice");
            }
        }
    }

    /** The images transformer: containers whose image name (without tag or digest) is {@code name} get the new name/tag/digest. */
    private static void setImage(ObjectNode resource, JsonNode image) {
        String name = image.path("name").asString();
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode container : resource.path("spec").path("template").path("spec").path(list)) {
                String current = container.path("image").asString("");
                ImageReference reference = ImageReference.parse(current);
                if (reference.name().equals(name)) {
                    String newName = image.path("newName").asString(reference.name());
                    String tag = image.path("newTag").asString(reference.tag());
                    String replaced = image.has("digest") ? newName + "@" + image.path("digest").asString()
                            : tag.isEmpty() ? newName : newName + ":" + tag;
                    ((ObjectNode) container).put("image", replaced);
                }
            }
        }
    }

    private static void applyPatch(List<ObjectNode> resources, JsonNode entry, Path directory) {
        JsonNode patch;
        if (entry.has("path")) {
            patch = YamlDocuments.readOne(directory.resolve(entry.path("path").asString()));
        } else if (entry.has("patch")) {
            patch = YamlDocuments.parseAll(entry.path("patch").asString(), "inline patch in " + directory).getFirst();
        } else {
            throw new IllegalArgumentException("A patch needs 'path' or 'patch': " + entry);
        }
        JsonNode target = entry.get("target");
        List<ObjectNode> targets;
        if (patch.isArray()) {
            if (target == null) {
                throw new IllegalArgumentException("A JSON 6902 patch needs a target: " + entry);
            }
            targets = resources.stream().filter(r -> matches(r, target)).toList();
        } else {
            ResourceId patchId = ResourceId.of(patch);
            targets = resources.stream()
                    .filter(r -> target != null ? matches(r, target) : sameResource(ResourceId.of(r), patchId))
                    .toList();
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("Patch " + entry + " in " + directory + " matches no resource");
        }
        for (ObjectNode resource : targets) {
            if (patch.isArray()) {
                JsonPatch.apply(resource, patch);
            } else {
                StrategicMergePatch.apply(resource, patch, ResourceId.of(resource).isBuiltIn());
            }
        }
    }

    private static boolean sameResource(ResourceId resource, ResourceId patch) {
        return resource.group().equals(patch.group()) && resource.kind().equals(patch.kind())
                && resource.name().equals(patch.name());
    }

    private static boolean matches(ObjectNode resource, JsonNode target) {
        ResourceId id = ResourceId.of(resource);
        for (String field : target.propertyNames()) {
            if (!Set.of("group", "version", "kind", "name").contains(field)) {
                throw new IllegalArgumentException("Patch target field '" + field + "' is not supported by deploy-checks' renderer");
            }
        }
        Map<String, String> actual = Map.of("group", id.group(), "version", id.version(), "kind", id.kind(), "name", id.name());
        return actual.entrySet().stream()
                .allMatch(e -> !target.has(e.getKey()) || target.path(e.getKey()).asString().equals(e.getValue()));
    }

    /** An image reference split the way Kustomize matches it: name (registry/path), tag, digest. */
    record ImageReference(String name, String tag, String digest) {
        static ImageReference parse(String image) {
            String digest = "";
            int at = image.indexOf('@');
            if (at >= 0) {
                digest = image.substring(at + 1);
                image = image.substring(0, at);
            }
            int colon = image.lastIndexOf(':');
            if (colon > image.lastIndexOf('/')) {
                return new ImageReference(image.substring(0, colon), image.substring(colon + 1), digest);
            }
            return new ImageReference(image, "", digest);
        }
    }
}
