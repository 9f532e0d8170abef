package io.eventfn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;

/**
 * The Deployment of every overlay (and of every overlay with the components of deploy/components) has what the app
 * and the scaling rely on, beyond what Kubernetes' schema says ({@link KubernetesSchemaTest}).
 */
@RequiresKustomize
class DeploymentTest {

    /** Kubernetes' recommended labels, which every resource deploy/ renders carries. */
    static final List<String> RECOMMENDED_LABELS = List.of("app.kubernetes.io/name", "app.kubernetes.io/instance",
            "app.kubernetes.io/version", "app.kubernetes.io/component", "app.kubernetes.io/part-of",
            "app.kubernetes.io/managed-by");

    /** Labels whose value never changes for an installation: the only ones a selector (immutable) may use. */
    static final Set<String> STABLE_LABELS = Set.of("app.kubernetes.io/name", "app.kubernetes.io/instance");

    static List<Overlay> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void deploymentSelectsThePodsItCreates(Overlay overlay) {
        JsonNode deployment = overlay.only("Deployment");
        assertThat(deployment.at("/apiVersion").asString()).isEqualTo("apps/v1");
        assertThat(deployment.at("/metadata/name").asString()).isNotBlank();
        JsonNode selector = deployment.at("/spec/selector/matchLabels");
        assertThat(selector.isObject() && !selector.isEmpty()).as("spec.selector.matchLabels").isTrue();
        JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
        selector.properties().forEach(label -> assertThat(podLabels.path(label.getKey()).asString())
                .as("pod label %s, which the selector requires", label.getKey()).isEqualTo(label.getValue().asString()));
        assertThat(Repository.container(overlay).path("image").asString()).as("container image").isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyResourceAndThePodsCarryTheRecommendedLabels(Overlay overlay) {
        JsonNode deploymentLabels = overlay.only("Deployment").at("/metadata/labels");
        for (JsonNode resource : overlay.resources()) {
            JsonNode labels = resource.at("/metadata/labels");
            for (String label : RECOMMENDED_LABELS) {
                assertThat(labels.path(label).asString(null)).as("label %s of %s %s, as on the Deployment", label,
                        resource.path("kind").asString(), resource.at("/metadata/name").asString())
                        .isNotBlank().isEqualTo(deploymentLabels.path(label).asString());
            }
        }
        assertThat(overlay.only("Deployment").at("/spec/template/metadata/labels").propertyNames()).as("pod labels")
                .containsAll(RECOMMENDED_LABELS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void selectorUsesOnlyLabelsThatNeverChange(Overlay overlay) {
        assertThat(overlay.only("Deployment").at("/spec/selector/matchLabels").propertyNames())
                .as("spec.selector.matchLabels: a Deployment's selector is immutable, so a label in it that changes"
                        + " (version, component, ...) would make the next `kubectl apply` fail")
                .isSubsetOf(STABLE_LABELS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void versionLabelIsTheImageTag(Overlay overlay) {
        String image = Repository.container(overlay).path("image").asString();
        String tag = image.substring(image.lastIndexOf('/') + 1).contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "latest";
        for (JsonNode resource : overlay.resources()) {
            assertThat(resource.at("/metadata/labels").path("app.kubernetes.io/version").asString())
                    .as("app.kubernetes.io/version of %s %s (the image is %s)", resource.path("kind").asString(),
                            resource.at("/metadata/name").asString(), image)
                    .isEqualTo(tag);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void settingsComeFromAConfigMapNamedAfterItsContent(Overlay overlay) {
        List<String> imported = Repository.container(overlay).path("envFrom").valueStream()
                .map(source -> source.at("/configMapRef/name").asString("")).filter(n -> !n.isEmpty()).toList();
        assertThat(imported).as("ConfigMaps the container imports").isNotEmpty();
        for (String name : imported) {
            assertThat(name).as("ConfigMap name with Kustomize's content hash: an edit renames it, which rolls the pods")
                    .matches("order-enricher-config-[a-z0-9]{10}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void jvmImageHasTheMemoryItWasMeasuredWith(Overlay overlay) {
        JsonNode container = Repository.container(overlay);
        if (!container.path("image").asString().contains("order-enricher-jvm")) {
            return;
        }
        // deploy/README.md: peak RSS at full throughput with the image's heap (a quarter of a 320 MiB limit).
        assertThat(quantity(container.at("/resources/limits/memory").asString("0"))).as("limits.memory of the JVM image")
                .isGreaterThanOrEqualTo(quantity("320Mi"));
        assertThat(quantity(container.at("/resources/requests/memory").asString("0"))).as("requests.memory of the JVM image")
                .isGreaterThanOrEqualTo(quantity("256Mi"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void replicaCountIsLeftToKeda(Overlay overlay) {
        assertThat(overlay.only("Deployment").at("/spec/replicas").isMissingNode())
                .as("spec.replicas: every `kubectl apply` would reset what KEDA scaled").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void probesUseTheAppsHealthEndpoints(Overlay overlay) {
        JsonNode container = Repository.container(overlay);
        Map<String, String> paths = Map.of(
                "startupProbe", "/q/health/started",
                "readinessProbe", "/q/health/ready",
                "livenessProbe", "/q/health/live");
        int httpPort = Integer.parseInt(overlay.literalEnvironment(container).getOrDefault("QUARKUS_HTTP_PORT", "8080"));
        paths.forEach((probe, path) -> {
            JsonNode httpGet = container.path(probe).path("httpGet");
            assertThat(httpGet.path("path").asString()).as("%s path", probe).isEqualTo(path);
            assertThat(portNumber(container, httpGet.path("port"))).as("%s port", probe).isEqualTo(httpPort);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void gracePeriodCoversTheDrain(Overlay overlay) {
        Duration drain = QuarkusDuration.parse(overlay.literalEnvironment(Repository.container(overlay))
                .getOrDefault("DRAIN_TIMEOUT", Repository.app().defaultOf("DRAIN_TIMEOUT").orElseThrow(
                        () -> new AssertionError("application.properties binds no DRAIN_TIMEOUT with a default"))));
        long grace = overlay.only("Deployment").at("/spec/template/spec/terminationGracePeriodSeconds").asLong(30);

        assertThat(Duration.ofSeconds(grace))
                .as("terminationGracePeriodSeconds must leave DRAIN_TIMEOUT (%s) plus 5 s to commit, leave the group and close", drain)
                .isGreaterThanOrEqualTo(drain.plusSeconds(5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void podRunsLockedDown(Overlay overlay) {
        JsonNode pod = overlay.only("Deployment").at("/spec/template/spec");
        JsonNode container = Repository.container(overlay);
        JsonNode security = container.path("securityContext");

        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean(false)
                || security.path("runAsNonRoot").asBoolean(false)).as("runAsNonRoot").isTrue();
        assertThat(security.path("seccompProfile").path("type")
                .asString(pod.at("/securityContext/seccompProfile/type").asString(""))).as("seccomp").isEqualTo("RuntimeDefault");
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as("allowPrivilegeEscalation").isFalse();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean(false)).as("readOnlyRootFilesystem").isTrue();
        assertThat(security.at("/capabilities/drop").valueStream().map(JsonNode::asString).toList())
                .as("capabilities.drop").contains("ALL");
        assertThat(security.at("/capabilities/add").isMissingNode() || security.at("/capabilities/add").isEmpty())
                .as("capabilities.add").isTrue();
        assertThat(container.path("volumeMounts").valueStream().map(m -> m.path("mountPath").asString()).toList())
                .as("a writable /tmp, since the root filesystem is read-only").contains("/tmp");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void serviceLinksAreOffSoNoKafkaServiceLeaksIntoTheClients(Overlay overlay) {
        assertThat(overlay.only("Deployment").at("/spec/template/spec/enableServiceLinks").asBoolean(true))
                .as("enableServiceLinks: a Service named kafka would inject KAFKA_PORT etc., which the app passes to its clients")
                .isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void instanceIdIsThePodName(Overlay overlay) {
        JsonNode instanceId = Repository.container(overlay).path("env").valueStream()
                .filter(v -> v.path("name").asString().equals("INSTANCE_ID")).findFirst()
                .orElseThrow(() -> new AssertionError("no INSTANCE_ID in the container's env"));
        assertThat(instanceId.at("/valueFrom/fieldRef/fieldPath").asString()).isEqualTo("metadata.name");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void resourcesAreRequestedAndBounded(Overlay overlay) {
        JsonNode resources = Repository.container(overlay).path("resources");
        for (String resource : List.of("cpu", "memory")) {
            String request = resources.at("/requests/" + resource).asString("");
            String limit = resources.at("/limits/" + resource).asString("");
            assertThat(request).as("requests.%s", resource).isNotBlank();
            assertThat(limit).as("limits.%s", resource).isNotBlank();
            assertThat(quantity(request)).as("requests.%s <= limits.%s", resource, resource)
                    .isLessThanOrEqualTo(quantity(limit));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everythingThePodMountsOrImportsExists(Overlay overlay) {
        JsonNode pod = overlay.only("Deployment").at("/spec/template/spec");
        JsonNode container = Repository.container(overlay);
        Set<String> volumes = new HashSet<>(pod.path("volumes").findValuesAsString("name"));
        container.path("volumeMounts").forEach(mount -> assertThat(volumes)
                .as("volume of the mount at %s", mount.path("mountPath").asString()).contains(mount.path("name").asString()));
        container.path("envFrom").forEach(source -> {
            if (source.has("configMapRef")) {
                String name = source.at("/configMapRef/name").asString();
                assertThat(overlay.find("ConfigMap", name)).as("ConfigMap %s the container imports", name).isPresent();
            }
        });
        container.path("env").forEach(variable -> {
            JsonNode reference = variable.at("/valueFrom/configMapKeyRef");
            if (reference.isObject()) {
                String name = reference.path("name").asString();
                assertThat(overlay.find("ConfigMap", name).map(c -> c.path("data").has(reference.path("key").asString())))
                        .as("ConfigMap %s with key %s, read by %s", name, reference.path("key").asString(),
                                variable.path("name").asString())
                        .contains(true);
            }
        });
        pod.path("volumes").forEach(volume -> {
            if (volume.has("configMap")) {
                String name = volume.at("/configMap/name").asString();
                assertThat(overlay.find("ConfigMap", name)).as("ConfigMap %s of volume %s", name, volume.path("name").asString()).isPresent();
            }
        });
    }

    private static int portNumber(JsonNode container, JsonNode port) {
        if (port.isNumber()) {
            return port.asInt();
        }
        return container.path("ports").valueStream()
                .filter(p -> p.path("name").asString("").equals(port.asString()))
                .map(p -> p.path("containerPort").asInt())
                .findFirst()
                .orElseThrow(() -> new AssertionError("probe port '" + port.asString() + "' is no named container port"));
    }

    /** A Kubernetes resource quantity (100m, 64Mi, 1, 0.5, 1G) as a number, for comparisons. */
    static double quantity(String quantity) {
        Map<String, Double> suffixes = Map.of("m", 1e-3, "k", 1e3, "M", 1e6, "G", 1e9,
                "Ki", 1024.0, "Mi", 1024.0 * 1024, "Gi", 1024.0 * 1024 * 1024);
        for (String suffix : List.of("Ki", "Mi", "Gi", "m", "k", "M", "G")) {
            if (quantity.endsWith(suffix)) {
                return Double.parseDouble(quantity.substring(0, quantity.length() - suffix.length())) * suffixes.get(suffix);
            }
        }
        return Double.parseDouble(quantity);
    }
}
