package io.eventfn.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventfn.core.InboundRecord;
import io.eventfn.core.OutboundRecord;
import io.eventfn.core.Outcome;
import io.eventfn.core.RecordProcessor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Each outcome moves its own counter; retries are counted per Retry; reason classes stay a bounded label. */
class DeliveryMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeliveryMetrics metrics = new DeliveryMetrics(registry);
    private final InboundRecord record = new InboundRecord("orders", 0, 7, -1, null, new byte[] { 1 }, List.of());

    @Test
    void countsEveryOutcomeAndTimesEveryRecord() {
        metrics.received(4);
        metrics.processed(new Outcome.Emit(List.of(new OutboundRecord(null, null), new OutboundRecord(null, null))),
                1_000);
        metrics.processed(new Outcome.Reject("invalid-json", "broken"), 2_000);
        metrics.processed(new Outcome.Skip("tombstone"), 3_000);
        metrics.processed(new Outcome.Retry("stopped while retrying"), 4_000);

        assertThat(registry.get(MetricNames.RECORDS_RECEIVED).counter().count()).isEqualTo(4);
        assertThat(registry.get(MetricNames.RECORDS_EMITTED).counter().count()).isEqualTo(2);
        assertThat(registry.get(MetricNames.RECORDS_DEAD_LETTERED).tag("reason_class", "invalid-json").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get(MetricNames.RECORDS_SKIPPED).counter().count()).isEqualTo(1);
        assertThat(registry.get(MetricNames.PROCESSING).timer().count()).isEqualTo(4);
        assertThat(metrics.receivedSoFar()).isEqualTo(4);
        assertThat(metrics.deadLetteredSoFar()).isEqualTo(1);
    }

    @Test
    void countsEachRetryTheProcessorAsksFor() {
        int[] calls = { 0 };
        RecordProcessor flaky = r -> ++calls[0] < 3 ? new Outcome.Retry("dependency down") : new Outcome.Skip("ok");
        RecordProcessor counted = metrics.countingRetries(flaky);

        counted.process(record);
        counted.process(record);
        counted.process(record);

        assertThat(registry.get(MetricNames.RETRIES).counter().count()).isEqualTo(2);
    }

    @Test
    void keepsTheReasonClassLabelBounded() {
        for (int i = 0; i < DeliveryMetrics.MAX_REASON_CLASSES + 20; i++) {
            metrics.processed(new Outcome.Reject("reason-" + i, "why"), 1);
        }

        assertThat(registry.find(MetricNames.RECORDS_DEAD_LETTERED).counters())
                .hasSize(DeliveryMetrics.MAX_REASON_CLASSES + 1);
        assertThat(registry.get(MetricNames.RECORDS_DEAD_LETTERED).tag("reason_class", DeliveryMetrics.OTHER)
                .counter().count()).isEqualTo(20);
        assertThat(metrics.deadLetteredSoFar()).isEqualTo(DeliveryMetrics.MAX_REASON_CLASSES + 20);
    }
}
