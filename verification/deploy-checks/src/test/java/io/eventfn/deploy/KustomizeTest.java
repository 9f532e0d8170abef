package io.eventfn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

/** Rendering deploy/ with Kustomize: what a settings edit does to the pods, and what a broken kustomization reports. */
@RequiresKustomize
class KustomizeTest {

    @TempDir
    Path temp;

    private final Kustomize kustomize = Kustomize.find().orElseThrow();

    @Test
    void aSettingsEditRenamesTheConfigMapAndSoRollsThePods() throws IOException {
        Path deploy = copyOfDeploy();
        Overlay before = Overlay.render(kustomize, deploy.resolve("overlays/local"), List.of());
        Path settings = deploy.resolve("base/settings.env");
        Files.writeString(settings, Files.readString(settings).replace("DRAIN_TIMEOUT=10s", "DRAIN_TIMEOUT=12s"));
        Overlay after = Overlay.render(kustomize, deploy.resolve("overlays/local"), List.of());

        String configMapBefore = before.only("ConfigMap").at("/metadata/name").asString();
        String configMapAfter = after.only("ConfigMap").at("/metadata/name").asString();
        assertThat(configMapAfter).as("the ConfigMap's name after the edit").isNotEqualTo(configMapBefore);
        assertThat(importedConfigMap(after)).as("what the pod template imports after the edit").isEqualTo(configMapAfter);
        assertThat(importedConfigMap(before)).isEqualTo(configMapBefore);
    }

    @Test
    void anOverlaysOwnSettingsEditRollsThePodsToo() throws IOException {
        Path deploy = copyOfDeploy();
        Overlay before = Overlay.render(kustomize, deploy.resolve("overlays/production"), List.of());
        Path kafka = deploy.resolve("overlays/production/kafka.env");
        Files.writeString(kafka, Files.readString(kafka) + "KAFKA_MAX_POLL_RECORDS=1000\n");
        Overlay after = Overlay.render(kustomize, deploy.resolve("overlays/production"), List.of());

        assertThat(importedConfigMap(after)).isNotEqualTo(importedConfigMap(before));
        assertThat(after.only("ConfigMap").at("/data/KAFKA_MAX_POLL_RECORDS").asString()).isEqualTo("1000");
    }

    @Test
    void aBrokenKustomizationFailsWithKustomizesOwnMessage() throws IOException {
        Files.writeString(temp.resolve("kustomization.yaml"), "resources:\n  - missing-deployment.yaml\n");

        assertThatThrownBy(() -> kustomize.build(temp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing-deployment.yaml").hasMessageContaining(temp.toString());
    }

    @Test
    void componentsAreAddedToTheOverlaysOwnList() {
        assertThat(Overlay.withComponents("resources:\n  - ../../base\n", List.of("jvm")))
                .isEqualTo("resources:\n  - ../../base\ncomponents:\n  - ../../components/jvm\n");
        assertThat(Overlay.withComponents("components:\n  - ../../components/a\nimages: []\n", List.of("b", "c")))
                .isEqualTo("components:\n  - ../../components/b\n  - ../../components/c\n  - ../../components/a\nimages: []\n");
    }

    private static String importedConfigMap(Overlay overlay) {
        JsonNode container = Repository.container(overlay);
        return container.at("/envFrom/0/configMapRef/name").asString();
    }

    private Path copyOfDeploy() throws IOException {
        Path to = temp.resolve("deploy");
        Overlay.copyTree(Repository.root().resolve("deploy"), to);
        return to;
    }
}
