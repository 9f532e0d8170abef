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
 * The Deployment of every overlay has what the app and the scaling rely on. There is no Kubernetes schema here,
 * so these are the fields the rest of deploy/ depends on, checked one by one.
 */
class DeploymentTest {

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
    private static double quantity(String quantity) {
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
