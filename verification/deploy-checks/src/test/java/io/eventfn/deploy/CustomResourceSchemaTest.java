package io.eventfn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;

/**
 * Every custom resource an overlay renders (KEDA's, Strimzi's, the Prometheus Operator's) is valid against its
 * CustomResourceDefinition where that CRD is kept beside the repository ({@code ../shared/schemas}) or named with
 * {@code -Ddeploy-checks.schemas=DIR}; the kinds without one are listed once at the end, not silently passed.
 */
@RequiresKustomize
class CustomResourceSchemaTest {

    private static List<CrdSchema> schemas;
    private static final Set<String> notValidated = new TreeSet<>();

    @BeforeAll
    static void loadSchemas() {
        schemas = Repository.crdSchemas();
        assumeTrue(!schemas.isEmpty(), "[deploy-checks] no CustomResourceDefinition found in "
                + Repository.root().resolve("../shared/schemas").normalize() + " nor in -D" + Repository.EXTRA_SCHEMAS_PROPERTY
                + ": skipping the custom resource schema checks");
    }

    @AfterAll
    static void reportKindsWithoutSchema() {
        if (!notValidated.isEmpty()) {
            System.err.println("[deploy-checks] custom resources not validated, no CRD for them in "
                    + Repository.root().resolve("../shared/schemas").normalize() + ": " + String.join(", ", notValidated));
        }
    }

    static List<Overlay> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void customResourcesMatchTheirDefinitions(Overlay overlay) {
        for (JsonNode resource : overlay.resources()) {
            if (KubernetesSchema.isBuiltIn(resource)) {
                continue;
            }
            String apiVersion = resource.path("apiVersion").asString();
            String kind = resource.path("kind").asString();
            Optional<CrdSchema> schema = schemas.stream()
                    .filter(s -> s.apiVersion().equals(apiVersion) && s.kind().equals(kind)).findFirst();
            if (schema.isEmpty()) {
                synchronized (notValidated) {
                    notValidated.add(apiVersion + " " + kind);
                }
                continue;
            }
            assertThat(schema.get().validate(resource)).as("overlay %s, %s %s", overlay.name(), kind,
                    resource.at("/metadata/name").asString()).isEmpty();
        }
    }
}
