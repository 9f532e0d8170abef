package io.eventfn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;

/** Where an overlay scrapes the app (components prometheus-podmonitor, prometheus-annotations), it scrapes /q/metrics. */
@RequiresKustomize
class ScrapeConfigurationTest {

    private static final String METRICS_PATH = "/q/metrics";

    static List<Overlay> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void podMonitorScrapesTheAppsMetricsEndpoint(Overlay overlay) {
        JsonNode pod = overlay.only("Deployment").at("/spec/template");
        JsonNode container = Repository.container(overlay);
        for (JsonNode monitor : overlay.ofKind("PodMonitor")) {
            JsonNode selector = monitor.at("/spec/selector/matchLabels");
            assertThat(selector.propertyNames()).as("PodMonitor selector: labels that never change").isNotEmpty()
                    .isSubsetOf(DeploymentTest.STABLE_LABELS);
            selector.properties().forEach(label -> assertThat(pod.at("/metadata/labels").path(label.getKey()).asString())
                    .as("pod label %s the PodMonitor selects on", label.getKey()).isEqualTo(label.getValue().asString()));
            assertThat(monitor.at("/spec/podMetricsEndpoints").isEmpty()).as("podMetricsEndpoints").isFalse();
            for (JsonNode endpoint : monitor.at("/spec/podMetricsEndpoints")) {
                assertThat(endpoint.path("path").asString()).as("PodMonitor path").isEqualTo(METRICS_PATH);
                int port = container.path("ports").valueStream()
                        .filter(p -> p.path("name").asString("").equals(endpoint.path("port").asString()))
                        .map(p -> p.path("containerPort").asInt()).findFirst()
                        .orElseThrow(() -> new AssertionError("PodMonitor port '" + endpoint.path("port").asString()
                                + "' is no named port of the container"));
                assertThat(port).as("the port PodMonitor scrapes").isEqualTo(httpPort(overlay));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void scrapeAnnotationsPointAtTheAppsMetricsEndpoint(Overlay overlay) {
        JsonNode annotations = overlay.only("Deployment").at("/spec/template/metadata/annotations");
        if (!annotations.has("prometheus.io/scrape")) {
            return;
        }
        assertThat(annotations.path("prometheus.io/scrape").asString()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/path").asString()).isEqualTo(METRICS_PATH);
        assertThat(annotations.path("prometheus.io/port").asString()).isEqualTo(Integer.toString(httpPort(overlay)));
    }

    private static int httpPort(Overlay overlay) {
        return Integer.parseInt(overlay.literalEnvironment(Repository.container(overlay)).getOrDefault("QUARKUS_HTTP_PORT", "8080"));
    }
}
