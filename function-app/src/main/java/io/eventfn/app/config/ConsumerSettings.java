package io.eventfn.app.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every setting the app itself reads. Each one is bound to its environment variable in
 * {@code application.properties}; Kafka client properties ({@code KAFKA_*}) pass straight through to the clients.
 */
@ConfigMapping(prefix = "consumer")
public interface ConsumerSettings {

    /** {@code KAFKA_BOOTSTRAP_SERVERS}: required; checked at start-up by {@link StartupSettingsCheck}. */
    Optional<String> bootstrapServers();

    /** {@code KAFKA_GROUP_ID}: the consumer group KEDA watches; never generated. */
    String groupId();

    /**
     * {@code KAFKA_GROUP_PROTOCOL}: {@code consumer} (the default) or {@code classic}; see {@link GroupProtocol} and
     * {@link GroupProtocolSettingsCheck}.
     */
    String groupProtocol();

    /** {@code INPUT_TOPICS}: comma-separated. */
    List<String> inputTopics();

    /** {@code OUTPUT_TOPIC}: where emitted records go. */
    String outputTopic();

    /** {@code DLQ_TOPIC}: where rejected records go, byte for byte, with {@code dead-letter-*} headers. */
    String deadLetterTopic();

    /** {@code PROCESSING_GUARANTEE}: {@code at-least-once} or {@code exactly-once}; see {@link ProcessingGuarantee}. */
    String processingGuarantee();

    /** {@code INSTANCE_ID}, else {@code HOSTNAME} (the pod name), else random: names this instance's transactional producer. */
    String instanceId();

    /**
     * {@code DRAIN_TIMEOUT}: on SIGTERM and on rebalance, how long batches already started may take to finish and be
     * committed. Keep Kubernetes' terminationGracePeriodSeconds above it.
     */
    Duration drainTimeout();

    /**
     * {@code MAX_IN_FLIGHT_RECORDS}: input records taken from the consumer and not yet committed; at the bound the
     * binding waits and the consumer pauses fetching.
     */
    long maxInFlightRecords();

    /** {@code MAX_IN_FLIGHT_BYTES}: bytes of the records written for the work in flight; a second bound like it. */
    long maxInFlightBytes();

    /** {@code TRANSACTION_INTERVAL}: exactly once, how long a transaction collects polls before it commits. */
    Duration transactionInterval();

    /** {@code TRANSACTION_MAX_RECORDS}: exactly once, input records after which a transaction commits early. */
    int transactionMaxRecords();

    /** Retries of a {@code Retry} outcome before the record is dead-lettered. */
    Retry retry();

    interface Retry {
        /** {@code RETRY_MAX_ATTEMPTS}: attempts in all, the first included. */
        @WithDefault("5")
        int maxAttempts();

        /** {@code RETRY_INITIAL_BACKOFF}: wait before the second attempt; doubles each time, with jitter. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** {@code RETRY_MAX_BACKOFF}: the longest single wait. */
        @WithDefault("5s")
        Duration maxBackoff();
    }

    /**
     * {@code PROCESSOR}: the business logic to run, {@code order-enricher} (the default) or {@code noop}, which emits
     * every record unchanged and exists to measure the app's own overhead; see {@link ProcessorChoice}.
     */
    String processor();

    /**
     * {@code PROCESSING_DELAY}: a wait added to every record before the processor runs, to rehearse slow business
     * logic (rebalances, shutdown, {@code DRAIN_TIMEOUT}) with the shipped processors; {@code 0} (the default) adds
     * none. Not for production.
     */
    Duration processingDelay();

    /**
     * {@code PROGRESS_LOG_INTERVAL}: how often one progress line (records/s, dead letters, lag) is logged while there
     * is traffic or lag, e.g. {@code 30s} (the default) or {@code 1m}; {@code 0} turns it off.
     */
    Duration progressLogInterval();

    default ProcessingGuarantee guarantee() {
        return ProcessingGuarantee.parse(processingGuarantee());
    }

    default GroupProtocol protocol() {
        return GroupProtocol.parse(groupProtocol());
    }

    default ProcessorChoice processorChoice() {
        return ProcessorChoice.parse(processor());
    }
}
