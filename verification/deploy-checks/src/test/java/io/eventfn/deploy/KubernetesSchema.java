package io.eventfn.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import io.kubernetes.client.openapi.JSON;

import tools.jackson.databind.JsonNode;

/**
 * Kubernetes' own schema of its built-in kinds, as the official Kubernetes Java client generates it from the
 * API's OpenAPI spec ({@code io.kubernetes:client-java-api}): a field the kind does not have, a required field that
 * is missing, or a value of the wrong type (a string where an integer or a boolean is expected, an object for a
 * string) is an error, as it is for {@code kubectl apply} with its default strict field validation.
 */
final class KubernetesSchema {

    private static final String MODELS = "io.kubernetes.client.openapi.models.";

    private KubernetesSchema() {
    }

    /** @return whether the resource is of a kind of Kubernetes itself (core, apps, batch, *.k8s.io, ...), not a CRD's */
    static boolean isBuiltIn(JsonNode resource) {
        String apiVersion = resource.path("apiVersion").asString("");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return !group.contains(".") || group.endsWith(".k8s.io");
    }

    /** @return the client's model class of the resource's apiVersion and kind ({@code apps/v1 Deployment}: V1Deployment) */
    static Optional<Class<?>> modelOf(JsonNode resource) {
        String apiVersion = resource.path("apiVersion").asString("");
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        String name = MODELS + version.substring(0, 1).toUpperCase(Locale.ROOT) + version.substring(1) + resource.path("kind").asString("");
        try {
            return Optional.of(Class.forName(name));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }

    /** @return one line per violation, naming where it is; empty when Kubernetes would accept the resource */
    static List<String> validate(JsonNode resource) {
        Class<?> model = modelOf(resource).orElse(null);
        if (model == null) {
            return List.of("no schema for " + resource.path("apiVersion").asString() + " " + resource.path("kind").asString()
                    + " in the Kubernetes client's models");
        }
        String text = resource.toString();
        JsonElement json = JsonParser.parseString(text);
        try {
            Method validate = model.getMethod("validateJsonElement", JsonElement.class);
            validate.invoke(null, json);
        } catch (InvocationTargetException e) {
            String message = String.valueOf(e.getCause().getMessage());
            int jsonTail = message.indexOf(" JSON: ");
            return List.of(jsonTail < 0 ? message : message.substring(0, jsonTail));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(model + " has no validateJsonElement(JsonElement)", e);
        }
        // The generated validation checks field names and required fields; the types show in a round trip through
        // the typed model (Gson turns "8080" into the integer 8080, 5 into the string "5").
        List<String> errors = new ArrayList<>();
        JsonElement typed = JSON.getGson().toJsonTree(JSON.deserialize(text, model));
        compare(json, typed, "", errors);
        return errors;
    }

    private static void compare(JsonElement written, JsonElement typed, String where, List<String> errors) {
        if (written.isJsonObject() && typed.isJsonObject()) {
            for (Map.Entry<String, JsonElement> field : written.getAsJsonObject().entrySet()) {
                JsonElement other = typed.getAsJsonObject().get(field.getKey());
                if (other == null) {
                    if (!field.getValue().isJsonNull()) {
                        errors.add(where + "/" + field.getKey() + ": dropped by the typed model");
                    }
                } else {
                    compare(field.getValue(), other, where + "/" + field.getKey(), errors);
                }
            }
        } else if (written.isJsonArray() && typed.isJsonArray() && written.getAsJsonArray().size() == typed.getAsJsonArray().size()) {
            for (int i = 0; i < written.getAsJsonArray().size(); i++) {
                compare(written.getAsJsonArray().get(i), typed.getAsJsonArray().get(i), where + "/" + i, errors);
            }
        } else if (!written.equals(typed) && !sameKind(written, typed)) {
            errors.add((where.isEmpty() ? "/" : where) + ": " + written + " is not of the type Kubernetes expects there ("
                    + typed + ")");
        }
    }

    /** Both strings or both numbers or both booleans: a quantity or a duration written differently is still valid. */
    private static boolean sameKind(JsonElement written, JsonElement typed) {
        if (!written.isJsonPrimitive() || !typed.isJsonPrimitive()) {
            return false;
        }
        var a = written.getAsJsonPrimitive();
        var b = typed.getAsJsonPrimitive();
        return (a.isString() && b.isString()) || (a.isNumber() && b.isNumber()) || (a.isBoolean() && b.isBoolean());
    }
}
