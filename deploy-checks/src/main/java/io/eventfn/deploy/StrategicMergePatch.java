package io.eventfn.deploy;

import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' strategic-merge patch, for what deploy/ patches: objects merge field by field, a {@code null}
 * removes a field, lists of the built-in kinds merge item by item on their merge key (containers by name, env
 * by name, volumeMounts by mountPath, ...), and every other list is replaced, as Kustomize does for custom
 * resources, whose schema it does not know. Patch directives ({@code $patch}, {@code $retainKeys}, ...) are
 * refused.
 */
public final class StrategicMergePatch {

    /** patchMergeKey of the lists in the core/apps API types that pod templates use. */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "ephemeralContainers", "name",
            "env", "name",
            "volumes", "name",
            "volumeMounts", "mountPath",
            "ports", "containerPort",
            "imagePullSecrets", "name");

    private StrategicMergePatch() {
    }

    public static void apply(ObjectNode target, JsonNode patch, boolean builtInKind) {
        mergeObject(target, patch, builtInKind);
    }

    private static void mergeObject(ObjectNode target, JsonNode patch, boolean builtInKind) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.startsWith("$")) {
                throw new IllegalArgumentException("Patch directive " + name + " is not supported by deploy-checks' renderer");
            }
            JsonNode current = target.get(name);
            if (value.isNull()) {
                target.remove(name);
            } else if (current != null && current.isObject() && value.isObject()) {
                mergeObject((ObjectNode) current, value, builtInKind);
            } else if (current != null && current.isArray() && value.isArray() && builtInKind && MERGE_KEYS.containsKey(name)) {
                mergeList((ArrayNode) current, (ArrayNode) value, MERGE_KEYS.get(name), builtInKind);
            } else {
                target.set(name, value.deepCopy());
            }
        }
    }

    private static void mergeList(ArrayNode target, ArrayNode patch, String key, boolean builtInKind) {
        for (JsonNode item : patch) {
            JsonNode keyValue = item.get(key);
            if (keyValue == null) {
                throw new IllegalArgumentException("List item without its merge key '" + key + "': " + item);
            }
            Optional<JsonNode> existing = target.valueStream().filter(e -> keyValue.equals(e.get(key))).findFirst();
            if (existing.isPresent()) {
                mergeObject((ObjectNode) existing.get(), item, builtInKind);
            } else {
                target.add(item.deepCopy());
            }
        }
    }
}
