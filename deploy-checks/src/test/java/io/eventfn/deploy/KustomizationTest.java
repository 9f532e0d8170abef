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
import tools.jackson.databind.node.ObjectNode;

/** The renderer behind every other check does what Kustomize does for the features deploy/ uses. */
class KustomizationTest {

    @TempDir
    Path dir;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: ghcr.io/org/app:latest
                      env:
                        - name: A
                          value: "1"
                      volumeMounts:
                        - name: tmp
                          mountPath: /tmp
                  volumes:
                    - name: tmp
                      emptyDir: {}
            """;

    private static final String SCALED_OBJECT = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: app
            spec:
              scaleTargetRef:
                name: app
              triggers:
                - type: kafka
                  metadata:
                    topic: orders
                    lagThreshold: "10"
            """;

    @Test
    void mergesContainersEnvAndVolumesByKeyLikeAStrategicMergePatch() throws IOException {
        base();
        Path overlay = overlay("""
                resources: [../base]
                patches:
                  - path: patch.yaml
                """);
        write(overlay.resolve("patch.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          env:
                            - name: A
                              value: "2"
                            - name: B
                              value: "3"
                      volumes:
                        - name: ca
                          secret:
                            secretName: s
                """);

        JsonNode container = deployment(Kustomization.render(overlay)).at("/spec/template/spec/containers/0");

        assertThat(container.path("image").asString()).isEqualTo("ghcr.io/org/app:latest");
        assertThat(container.path("env").findValuesAsString("value")).containsExactlyInAnyOrder("2", "3");
        assertThat(container.path("volumeMounts")).hasSize(1);
        assertThat(deployment(Kustomization.render(overlay)).at("/spec/template/spec/volumes").findValuesAsString("name"))
                .containsExactlyInAnyOrder("tmp", "ca");
    }

    @Test
    void replacesListsOfCustomResourcesInsteadOfMergingThem() throws IOException {
        base();
        Path overlay = overlay("""
                resources: [../base]
                patches:
                  - path: patch.yaml
                """);
        write(overlay.resolve("patch.yaml"), """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: app
                spec:
                  triggers:
                    - type: kafka
                      metadata:
                        topic: payments
                """);

        JsonNode triggers = scaledObject(Kustomization.render(overlay)).at("/spec/triggers");

        assertThat(triggers).hasSize(1);
        assertThat(triggers.at("/0/metadata/topic").asString()).isEqualTo("payments");
        assertThat(triggers.at("/0/metadata/lagThreshold").isMissingNode()).as("the whole list is replaced").isTrue();
    }

    @Test
    void appliesJson6902PatchesToTheirTargetOnly() throws IOException {
        base();
        Path overlay = overlay("""
                resources: [../base]
                patches:
                  - path: patch.yaml
                    target:
                      kind: ScaledObject
                      name: app
                """);
        write(overlay.resolve("patch.yaml"), """
                - op: replace
                  path: /spec/triggers/0/metadata/topic
                  value: payments
                - op: add
                  path: /spec/triggers/0/authenticationRef
                  value:
                    name: kafka
                """);

        List<ObjectNode> rendered = Kustomization.render(overlay);

        assertThat(scaledObject(rendered).at("/spec/triggers/0/metadata/topic").asString()).isEqualTo("payments");
        assertThat(scaledObject(rendered).at("/spec/triggers/0/metadata/lagThreshold").asString()).isEqualTo("10");
        assertThat(scaledObject(rendered).at("/spec/triggers/0/authenticationRef/name").asString()).isEqualTo("kafka");
    }

    @Test
    void replacesTheImageNameAndTagOfMatchingContainers() throws IOException {
        base();
        Path overlay = overlay("""
                resources: [../base]
                images:
                  - name: ghcr.io/org/app
                    newName: app
                    newTag: dev
                """);

        assertThat(deployment(Kustomization.render(overlay)).at("/spec/template/spec/containers/0/image").asString())
                .isEqualTo("app:dev");
    }

    @Test
    void refusesKustomizeFeaturesItDoesNotRender() throws IOException {
        base();
        Path overlay = overlay("""
                resources: [../base]
                namePrefix: staging-
                """);

        assertThatThrownBy(() -> Kustomization.render(overlay))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namePrefix");
    }

    @Test
    void refusesAPatchThatMatchesNoResource() throws IOException {
        base();
        Path overlay = overlay("""
                resources: [../base]
                patches:
                  - path: patch.yaml
                """);
        write(overlay.resolve("patch.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: missing
                data:
                  A: "1"
                """);

        assertThatThrownBy(() -> Kustomization.render(overlay))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("matches no resource");
    }

    @Test
    void refusesAJsonPatchReplacingAFieldThatDoesNotExist() throws IOException {
        base();
        Path overlay = overlay("""
                resources: [../base]
                patches:
                  - path: patch.yaml
                    target:
                      kind: ScaledObject
                """);
        write(overlay.resolve("patch.yaml"), """
                - op: replace
                  path: /spec/triggers/0/metadata/bootstrapServers
                  value: kafka:9092
                """);

        assertThatThrownBy(() -> Kustomization.render(overlay))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }

    private Path base() throws IOException {
        Path base = Files.createDirectories(dir.resolve("base"));
        write(base.resolve("deployment.yaml"), DEPLOYMENT);
        write(base.resolve("scaledobject.yaml"), SCALED_OBJECT);
        write(base.resolve("kustomization.yaml"), """
                resources:
                  - deployment.yaml
                  - scaledobject.yaml
                """);
        return base;
    }

    private Path overlay(String kustomization) throws IOException {
        Path overlay = Files.createDirectories(dir.resolve("overlay"));
        write(overlay.resolve("kustomization.yaml"), kustomization);
        return overlay;
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content);
    }

    private static JsonNode deployment(List<ObjectNode> resources) {
        return resources.stream().filter(r -> r.path("kind").asString().equals("Deployment")).findFirst().orElseThrow();
    }

    private static JsonNode scaledObject(List<ObjectNode> resources) {
        return resources.stream().filter(r -> r.path("kind").asString().equals("ScaledObject")).findFirst().orElseThrow();
    }
}
