package io.eventfn.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.eventfn.deploy.Kustomize;

/**
 * The long run simulates the ScaledObject deploy/ ships; this fails in every build (not only in the long run) when
 * deploy/ starts using something the simulator does not model, or its overlays stop agreeing on the scaling settings.
 */
class DeployedScaledObjectTest {

    @Test
    void theShippedScaledObjectIsOneTheSimulatorModels() {
        assumeTrue(Kustomize.find().isPresent(), Kustomize.notFound());
        DeployedScaledObject deployed = DeployedScaledObject.read(Duration.ofSeconds(15));

        assertThat(deployed.overlays()).isNotEmpty();
        assertThat(deployed.scaledObject().maxReplicaCount()).isBetween(1, deployed.inputTopicPartitions());
        assertThat(deployed.appEnvironment()).containsKeys("KAFKA_GROUP_ID", "INPUT_TOPICS");
        // The simulator's HPA: a behavior is always complete once the API server's defaults are filled in.
        assertThat(deployed.scaledObject().behavior().scaleUp().policies()).isNotEmpty();
        assertThat(deployed.scaledObject().behavior().scaleDown().policies()).isNotEmpty();
    }
}
