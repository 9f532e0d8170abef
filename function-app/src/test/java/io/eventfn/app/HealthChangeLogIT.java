package io.eventfn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventfn.app.testing.AppUnderTest;
import io.eventfn.kafka.local.PackagedApp;

/**
 * The packaged app logs a change of readiness once, however often Kubernetes probes it, and not SmallRye Health's
 * whole report on every probe. No broker is needed: with none, readiness is DOWN.
 */
class HealthChangeLogIT {

    private static final Path WORK = Path.of("target", "it-work");

    @Test
    void logsReadinessDownOnceNamingTheFailingCheckHoweverOftenItIsProbed() {
        Map<String, String> environment = AppUnderTest.environment("127.0.0.1:1");
        try (PackagedApp app = AppUnderTest.start(environment, WORK)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> app.httpStatus("/q/health/ready") == 503);
            for (int probe = 0; probe < 5; probe++) {
                assertThat(app.httpStatus("/q/health/ready")).as("readiness").isEqualTo(503);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> app.output().contains("Readiness is DOWN"));

            assertThat(app.output().lines().filter(line -> line.contains("Readiness is DOWN")))
                    .singleElement().asString()
                    .contains("WARN", "SmallRye Reactive Messaging - readiness check (", "[KO]");
            assertThat(app.output()).as("SmallRye Health's own report").doesNotContain("SRHCK01001", "\"checks\"");
        }
    }
}
