package io.eventfn.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.eventfn.app.testing.LocalKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The three probes Kubernetes uses answer UP once the app runs against a reachable broker. */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class HealthEndpointsTest {

    @Test
    void startedReadyAndLiveProbesAreUp() {
        for (String probe : new String[] { "/q/health/started", "/q/health/ready", "/q/health/live" }) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(
                    () -> given().when().get(probe).then().statusCode(200).body("status", equalTo("UP")));
        }
    }
}
