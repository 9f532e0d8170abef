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

    /** The CEL rules of KEDA's (and Strimzi's KafkaUser) CRDs, as Java predicates on the object the rule is attached to. */
    private static final Map<String, Predicate<JsonNode>> KNOWN_RULES = Map.of(
            "!has(self.minReplicaCount) || self.minReplicaCount <= (has(self.maxReplicaCount) ? self.maxReplicaCount : 100)",
            spec -> !spec.has("minReplicaCount")
                    || spec.path("minReplicaCount").asInt() <= spec.path("maxReplicaCount").asInt(100),
            "self.type == 'tls' || (!has(self.validityDays) && !has(self.renewalDays))",
            auth -> auth.path("type").asString("").equals("tls") || (!auth.has("validityDays") && !auth.has("renewalDays")),
            "self.type != 'tls' || (has(self.renewalDays) == has(self.validityDays))",
            auth -> !auth.path("type").asString("").equals("tls") || auth.has("renewalDays") == auth.has("validityDays"),
            "self.type != 'tls' || !has(self.renewalDays) || !has(self.validityDays) || self.renewalDays < self.validityDays",
            auth -> !auth.path("type").asString("").equals("tls") || !auth.has("renewalDays") || !auth.has("validityDays")
                    || auth.path("renewalDays").asLong() < auth.path("validityDays").asLong());

    private final String group;
    private final String version;
    private final String kind;
    private final Schema schema;
    private final JsonNode openApiSchema;

    private CrdSchema(String group, String version, String kind, JsonNode openApiSchema) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.openApiSchema = openApiSchema;
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(strict(openApiSchema.deepCopy()));
    }

    /** @return a schema for every served version of the CustomResourceDefinitions in the file; none if it holds no CRD */
    public static List<CrdSchema> servedVersionsOf(Path file) {
        List<CrdSchema> schemas = new ArrayList<>();
        for (JsonNode document : YamlDocuments.readAll(file)) {
            if (!document.path("kind").asString("").equals("CustomResourceDefinition")) {
                continue;
            }
            for (JsonNode served : document.path("spec").path("versions")) {
                JsonNode openApi = served.path("schema").path("openAPIV3Schema");
                if (served.path("served").asBoolean(false) && openApi.isObject()) {
                    schemas.add(new CrdSchema(document.at("/spec/group").asString(), served.path("name").asString(),
                            document.at("/spec/names/kind").asString(), openApi));
                }
            }
        }
        return schemas;
    }

    /** @return {@code group/version} as a resource's apiVersion spells it */
    public String apiVersion() {
        return group + "/" + version;
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
                return new CrdSchema(crd.at("/spec/group").asString(), version, crd.at("/spec/names/kind").asString(), openApi);
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
        if (!apiVersion().equals(resource.path("apiVersion").asString(""))) {
            errors.add("apiVersion is " + resource.path("apiVersion") + ", this schema is for " + apiVersion());
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
