package io.eventfn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Every resource of a Kubernetes kind that an overlay renders is one the API server accepts, by Kubernetes' schema. */
@RequiresKustomize
class KubernetesSchemaTest {

    static List<Overlay> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void builtInResourcesMatchKubernetesSchema(Overlay overlay) {
        List<ObjectNode> builtIn = overlay.resources().stream().filter(KubernetesSchema::isBuiltIn).toList();
        assertThat(builtIn).as("built-in resources of overlay %s", overlay.name()).isNotEmpty();
        for (ObjectNode resource : builtIn) {
            assertThat(KubernetesSchema.validate(resource)).as("overlay %s, %s %s", overlay.name(),
                    resource.path("kind").asString(), resource.at("/metadata/name").asString()).isEmpty();
        }
    }

    /** The validation above is only worth something if it rejects what the API server rejects. */
    @Test
    void kubernetesSchemaRejectsWhatTheApiServerRejects() {
        JsonNode deployment = Repository.overlays().getFirst().only("Deployment");
        assertThat(KubernetesSchema.validate(deployment)).isEmpty();

        assertThat(KubernetesSchema.validate(edit(deployment, "/spec/template/spec/containers/0", c -> c.put("imagePulPolicy", "Always"))))
                .as("a misspelled field, which kubectl's strict validation rejects").singleElement().asString().contains("imagePulPolicy");
        assertThat(KubernetesSchema.validate(edit(deployment, "/spec", s -> s.remove("selector"))))
                .as("spec.selector is required").singleElement().asString().contains("selector");
        assertThat(KubernetesSchema.validate(edit(deployment, "/spec/template/spec", s -> s.put("terminationGracePeriodSeconds", "30"))))
                .as("an integer written as a string").singleElement().asString().contains("terminationGracePeriodSeconds");
        assertThat(KubernetesSchema.validate(edit(deployment, "/spec/template/spec", s -> s.put("enableServiceLinks", "false"))))
                .as("a boolean written as a string").isNotEmpty();
        assertThat(KubernetesSchema.validate(edit(deployment, "", d -> d.put("kind", "Deploymnet"))))
                .as("an unknown kind").singleElement().asString().contains("no schema");
    }

    private static JsonNode edit(JsonNode resource, String pointer, Consumer<ObjectNode> change) {
        JsonNode copy = resource.deepCopy();
        change.accept((ObjectNode) (pointer.isEmpty() ? copy : copy.at(pointer)));
        return copy;
    }
}
