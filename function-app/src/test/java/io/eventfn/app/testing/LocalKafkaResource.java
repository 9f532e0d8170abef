package io.eventfn.app.testing;

import java.util.Map;

import io.eventfn.kafka.local.LocalKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Points the app under test at the project's own real broker (no containers here) and injects a
 * {@link KafkaCompanion} bound to it into fields annotated {@link InjectKafkaCompanion}.
 */
public class LocalKafkaResource implements QuarkusTestResourceLifecycleManager {

    public static final String INPUT = "orders";
    public static final String OUTPUT = "orders-enriched";
    public static final String DEAD_LETTER = "orders-dlq";
    public static final String GROUP = "order-enricher";
    public static final int PARTITIONS = 3;

    private KafkaCompanion companion;

    @Override
    public Map<String, String> start() {
        LocalKafkaBroker broker = SharedBroker.get();
        broker.createTopic(INPUT, PARTITIONS);
        broker.createTopic(OUTPUT, PARTITIONS);
        broker.createTopic(DEAD_LETTER, 1);
        companion = new KafkaCompanion(broker.bootstrapServers());
        // The same names a user sets in the environment.
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "INPUT_TOPICS", INPUT,
                "OUTPUT_TOPIC", OUTPUT,
                "DLQ_TOPIC", DEAD_LETTER,
                "KAFKA_GROUP_ID", GROUP);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(companion,
                new TestInjector.AnnotatedAndMatchesType(InjectKafkaCompanion.class, KafkaCompanion.class));
    }

    @Override
    public void stop() {
        if (companion != null) {
            companion.close();
        }
        // The broker outlives this app instance: SharedBroker stops it when the test JVM exits.
    }
}
