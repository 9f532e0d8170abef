package io.eventfn.deploy;

import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** RFC 6902 JSON patch, the operations Kustomize's JSON 6902 patches use here: add, replace, remove, test. */
public final class JsonPatch {

    private JsonPatch() {
    }

    public static void apply(ObjectNode target, JsonNode operations) {
        if (!operations.isArray()) {
            throw new IllegalArgumentException("A JSON 6902 patch is a list of operations, not " + operations.getNodeType());
        }
        for (JsonNode operation : operations) {
            String op = operation.path("op").asString("");
            JsonPointer path = JsonPointer.compile(operation.path("path").asString(""));
            JsonNode value = operation.get("value");
            switch (op) {
                case "add" -> add(target, path, require(value, operation));
                case "replace" -> {
                    requireExisting(target, path, operation);
                    remove(target, path);
                    add(target, path, require(value, operation));
                }
                case "remove" -> {
                    requireExisting(target, path, operation);
                    remove(target, path);
                }
                case "test" -> {
                    if (!target.at(path).equals(require(value, operation))) {
                        throw new IllegalArgumentException("JSON patch test failed: " + operation);
                    }
                }
                default -> throw new IllegalArgumentException("JSON patch operation '" + op
                        + "' is not supported by deploy-checks' renderer: " + operation);
            }
        }
    }

    private static JsonNode require(JsonNode value, JsonNode operation) {
        if (value == null) {
            throw new IllegalArgumentException("JSON patch operation without a value: " + operation);
        }
        return value.deepCopy();
    }

    private static void requireExisting(JsonNode target, JsonPointer path, JsonNode operation) {
        if (target.at(path).isMissingNode()) {
            throw new IllegalArgumentException("JSON patch path does not exist: " + operation);
        }
    }

    private static void add(JsonNode target, JsonPointer path, JsonNode value) {
        JsonNode parent = target.at(path.head());
        String last = path.last().getMatchingProperty();
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            if (last.equals("-")) {
                array.add(value);
            } else {
                array.insert(Integer.parseInt(last), value);
            }
        } else {
            throw new IllegalArgumentException("JSON patch: no object or list at " + path.head());
        }
    }

    private static void remove(JsonNode target, JsonPointer path) {
        JsonNode parent = target.at(path.head());
        String last = path.last().getMatchingProperty();
        if (parent instanceof ObjectNode object) {
            object.remove(last);
        } else if (parent instanceof ArrayNode array) {
            array.remove(Integer.parseInt(last));
        }
    }
}
