package io.eventfn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every KEDA resource an overlay applies is one the API server accepts, judged by KEDA's own CRD schemas
 * (../shared/schemas/keda, v1alpha1) with kubectl's strict field validation. Skipped where the schemas are absent.
 */
@RequiresKustomize
class KedaSchemaTest {

    private static CrdSchema scaledObjects;
    private static CrdSchema triggerAuthentications;
    private static boolean skipReported;

    /** Loads the schemas once; where they are absent, every test here is skipped with the reason. */
    @BeforeEach
    void requireKedaSchemas() {
        Path schemas = Repository.kedaSchemas().orElse(null);
        if (schemas == null) {
            String reason = "KEDA CRD schemas not found at " + Repository.root().resolve("../shared/schemas/keda").normalize()
                    + " (keda.sh_scaledobjects.yaml, keda.sh_triggerauthentications.yaml): skipping the KEDA schema checks";
            if (!skipReported) {
                System.err.println("[deploy-checks] " + reason);
                skipReported = true;
            }
            assumeTrue(false, reason);
        }
        if (scaledObjects == null) {
            scaledObjects = CrdSchema.load(schemas.resolve("keda.sh_scaledobjects.yaml"), "v1alpha1");
            triggerAuthentications = CrdSchema.load(schemas.resolve("keda.sh_triggerauthentications.yaml"), "v1alpha1");
        }
    }

    static List<Overlay> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void scaledObjectMatchesKedaSchema(Overlay overlay) {
        assertThat(scaledObjects.validate(overlay.only("ScaledObject"))).as("overlay %s", overlay.name()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void triggerAuthenticationsMatchKedaSchema(Overlay overlay) {
        for (ObjectNode authentication : overlay.ofKind("TriggerAuthentication")) {
            assertThat(triggerAuthentications.validate(authentication))
                    .as("overlay %s, TriggerAuthentication %s", overlay.name(), authentication.at("/metadata/name"))
                    .isEmpty();
        }
    }

    /** The validation above is only worth something if it rejects what the API server rejects. */
    @Test
    void kedaSchemaRejectsWhatTheApiServerRejects() {
        JsonNode valid = Repository.overlays().getFirst().only("ScaledObject");
        assertThat(scaledObjects.validate(valid)).isEmpty();

        assertThat(scaledObjects.validate(edit(valid, "/spec/triggers/0/metadata", o -> o.put("lagThreshold", 50))))
                .as("trigger metadata values must be strings").isNotEmpty();
        assertThat(scaledObjects.validate(edit(valid, "/spec", o -> o.put("pollingIntervall", 10))))
                .as("an unknown field, which kubectl's strict validation rejects").isNotEmpty();
        assertThat(scaledObjects.validate(edit(valid, "/spec", o -> o.put("minReplicaCount", 7).put("maxReplicaCount", 6))))
                .as("the CRD's CEL rule minReplicaCount <= maxReplicaCount").isNotEmpty();
        assertThat(scaledObjects.validate(edit(valid, "/spec/fallback", o -> o.remove("replicas"))))
                .as("fallback.replicas is required").isNotEmpty();
        assertThat(scaledObjects.validate(edit(valid, "/spec/fallback", o -> o.put("behavior", "lastKnown"))))
                .as("fallback.behavior is an enum").isNotEmpty();
        assertThat(triggerAuthentications.validate(edit(valid, "", o -> o.put("kind", "TriggerAuthentication"))))
                .as("a ScaledObject is no TriggerAuthentication").isNotEmpty();
    }

    private static JsonNode edit(JsonNode resource, String pointer, java.util.function.Consumer<ObjectNode> change) {
        JsonNode copy = resource.deepCopy();
        change.accept((ObjectNode) (pointer.isEmpty() ? copy : copy.at(pointer)));
        return copy;
    }
}
