package io.eventfn.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI schema of one version of a CustomResourceDefinition, applied the way {@code kubectl apply} with its
 * default strict field validation does: a field the schema does not declare is an error (the API server would
 * reject it, or prune it silently with validation off), types, enums, minimums and required fields are checked,
 * and so are the CEL rules ({@code x-kubernetes-validations}) that this class knows. A CEL rule it does not know
 * is reported as an error, so a new rule in an updated CRD is never skipped silently.
 */
public final class CrdSchema {

    /** The CEL rules of KEDA's CRDs, as Java predicates on the object the rule is attached to. */
    private static final Map<String, Predicate<JsonNode>> KNOWN_RULES = Map.of(
            "!has(self.minReplicaCount) || self.minReplicaCount <= (has(self.maxReplicaCount) ? self.maxReplicaCount : 100)",
            spec -> !spec.has("minReplicaCount")
                    || spec.path("minReplicaCount").asInt() <= spec.path("maxReplicaCount").asInt(100));

    private final String kind;
    private final Schema schema;
    private final JsonNode openApiSchema;

    private CrdSchema(String kind, JsonNode openApiSchema) {
        this.kind = kind;
        this.openApiSchema = openApiSchema;
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(strict(openApiSchema.deepCopy()));
    }

    /** @param version the served version whose {@code schema.openAPIV3Schema} to use, e.g. {@code v1alpha1} */
    public static CrdSchema load(Path crdFile, String version) {
        JsonNode crd = YamlDocuments.readOne(crdFile);
        for (JsonNode served : crd.path("spec").path("versions")) {
            if (served.path("name").asString("").equals(version)) {
                JsonNode openApi = served.path("schema").path("openAPIV3Schema");
                if (!openApi.isObject()) {
                    throw new IllegalArgumentException(crdFile + ": version " + version + " has no schema.openAPIV3Schema");
                }
                return new CrdSchema(crd.path("spec").path("names").path("kind").asString(), openApi);
            }
        }
        throw new IllegalArgumentException(crdFile + " defines no version " + version);
    }

    public String kind() {
        return kind;
    }

    /** @return one line per violation, naming where it is; empty when the resource is valid */
    public List<String> validate(JsonNode resource) {
        List<String> errors = new ArrayList<>();
        if (!kind.equals(resource.path("kind").asString(""))) {
            errors.add("kind is " + resource.path("kind") + ", this schema is for " + kind);
        }
        schema.validate(resource).forEach(error -> errors.add(error.toString()));
        checkRules(openApiSchema, resource, "", errors);
        return errors;
    }

    /** Kubernetes does not accept fields a structural schema does not declare (unless it says to preserve them). */
    private static JsonNode strict(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            object.values().forEach(CrdSchema::strict);
        } else if (node.isArray()) {
            node.values().forEach(CrdSchema::strict);
        }
        return node;
    }

    private static void checkRules(JsonNode schemaNode, JsonNode value, String where, List<String> errors) {
        if (value == null || value.isMissingNode()) {
            return;
        }
        for (JsonNode validation : schemaNode.path("x-kubernetes-validations")) {
            String rule = validation.path("rule").asString("").replaceAll("\\s+", " ").trim();
            Predicate<JsonNode> check = KNOWN_RULES.get(rule);
            if (check == null) {
                errors.add((where.isEmpty() ? "/" : where) + ": CEL rule not implemented by deploy-checks: " + rule
                        + " (add it to CrdSchema.KNOWN_RULES)");
            } else if (!check.test(value)) {
                errors.add((where.isEmpty() ? "/" : where) + ": " + validation.path("message").asString(rule));
            }
        }
        for (Map.Entry<String, JsonNode> property : schemaNode.path("properties").properties()) {
            checkRules(property.getValue(), value.get(property.getKey()), where + "/" + property.getKey(), errors);
        }
        JsonNode items = schemaNode.get("items");
        if (items != null && value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                checkRules(items, value.get(i), where + "/" + i, errors);
            }
        }
    }
}
