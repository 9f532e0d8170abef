package io.eventfn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import io.eventfn.app.testing.LocalKafkaResource;
import io.eventfn.app.testing.MetricsPage;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The delivery metrics at /q/metrics follow the traffic: valid, invalid and tombstone records each move their
 * counter, the processing-time histogram counts them, commits are counted, and the lag gauges are there. Other tests
 * share the topic and the app, so only increases are compared.
 */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class MetricsMoveWithTrafficTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @InjectKafkaCompanion
    KafkaCompanion companion;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void countersHistogramCommitsAndLagFollowTheRecords() {
        MetricsPage before = MetricsPage.scrape();

        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            records.add(record(run + "-valid-" + i, "{\"orderId\":\"" + run + "-" + i + "\",\"customerId\":\"c-7\","
                    + "\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A-1\",\"quantity\":2,\"unitPrice\":9.99}]}"));
        }
        records.add(record(run + "-not-json-1", "{\"orderId\":"));
        records.add(record(run + "-not-json-2", "not json at all"));
        records.add(record(run + "-bad-currency", "{\"orderId\":\"o\",\"customerId\":\"c\",\"currency\":\"eur\","
                + "\"lines\":[{\"sku\":\"A-1\",\"quantity\":2,\"unitPrice\":9.99}]}"));
        records.add(new ProducerRecord<>(LocalKafkaResource.INPUT, utf8(run + "-tombstone"), null));
        companion.produce(Serdes.ByteArray(), Serdes.ByteArray()).fromRecords(records).awaitCompletion(DEADLINE);

        await().atMost(DEADLINE).untilAsserted(() -> {
            MetricsPage after = MetricsPage.scrape();
            assertThat(increase(before, after, "eventfn_records_received_total")).isGreaterThanOrEqualTo(7);
            assertThat(increase(before, after, "eventfn_records_emitted_total")).isGreaterThanOrEqualTo(3);
            assertThat(increase(before, after, "eventfn_records_dead_lettered_total", "reason_class", "invalid-json"))
                    .isGreaterThanOrEqualTo(2);
            assertThat(increase(before, after, "eventfn_records_dead_lettered_total", "reason_class", "invalid-field"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(increase(before, after, "eventfn_records_skipped_total")).isGreaterThanOrEqualTo(1);
            assertThat(increase(before, after, "eventfn_processing_seconds_count")).isGreaterThanOrEqualTo(7);
            assertThat(increase(before, after, "eventfn_processing_seconds_bucket", "le", "+Inf"))
                    .isGreaterThanOrEqualTo(7);
            assertThat(increase(before, after, "eventfn_commits_total")).isGreaterThanOrEqualTo(1);
            assertThat(after.sum("eventfn_last_commit_age_seconds")).isBetween(0.0, 60.0);
        });

        MetricsPage page = MetricsPage.scrape();
        assertThat(page.sum("eventfn_rebalances_total")).isGreaterThanOrEqualTo(1);
        assertThat(page.sum("eventfn_assigned_partitions")).isPositive();
        assertThat(page.has("eventfn_retries_total")).isTrue();
        assertThat(page.has("eventfn_lag_unconsumed_records")).isTrue();
        assertThat(page.has("eventfn_lag_committed_records")).isTrue();
        assertThat(page.has("eventfn_time_to_drain_seconds")).isTrue();
        // The Kafka client's own metrics, bound by Micrometer's Kafka binder; it looks for metrics the client added
        // after it was bound once a minute, so the fetch manager's may take that long to appear.
        assertThat(page.has("kafka_consumer_coordinator_commit_total")).isTrue();
        await().atMost(Duration.ofSeconds(75)).until(() -> MetricsPage.scrape()
                .has("kafka_consumer_fetch_manager_records_lag_max"));
        await().atMost(DEADLINE).untilAsserted(() -> {
            MetricsPage drained = MetricsPage.scrape();
            assertThat(drained.sum("eventfn_lag_unconsumed_records")).isZero();
            assertThat(drained.sum("eventfn_lag_committed_records")).isZero();
            assertThat(drained.sum("eventfn_time_to_drain_seconds")).isZero();
        });
    }

    private static double increase(MetricsPage before, MetricsPage after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static ProducerRecord<byte[], byte[]> record(String key, String value) {
        return new ProducerRecord<>(LocalKafkaResource.INPUT, utf8(key), utf8(value));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
