package io.eventfn.app.config;

import java.time.Duration;
import java.util.List;

/**
 * Every setting the app itself reads, checked and converted once at start-up by {@link #read}. Each comes from one
 * environment variable, bound to a {@code consumer.*} property in {@code application.properties} where its default
 * lives; Kafka client properties ({@code KAFKA_*}) pass straight through to the clients instead (checked by
 * {@link KafkaClientPropertiesCheck}).
 * <p>
 * Not a SmallRye {@code @ConfigMapping}: its conversion errors name the internal property, not the variable, in a
 * framework message. To add a setting: bind its variable in application.properties, add a component here and one line
 * in {@link #read} saying how to read it.
 *
 * @param bootstrapServers    {@code KAFKA_BOOTSTRAP_SERVERS}: required
 * @param groupId             {@code KAFKA_GROUP_ID}: the consumer group KEDA watches; never generated
 * @param protocol            {@code KAFKA_GROUP_PROTOCOL}: see {@link GroupProtocol}
 * @param inputTopics         {@code INPUT_TOPICS}
 * @param outputTopic         {@code OUTPUT_TOPIC}: where emitted records go
 * @param deadLetterTopic     {@code DLQ_TOPIC}: where rejected records go, byte for byte, with {@code dead-letter-*} headers
 * @param guarantee           {@code PROCESSING_GUARANTEE}: see {@link ProcessingGuarantee}
 * @param drainTimeout        {@code DRAIN_TIMEOUT}: on SIGTERM and on rebalance, how long work already started may
 *                            take to finish and be committed; Kubernetes' terminationGracePeriodSeconds stays above it
 * @param maxInFlightRecords  {@code MAX_IN_FLIGHT_RECORDS}: input records taken from the consumer and not yet
 *                            committed; at the bound the binding waits and the consumer pauses fetching
 * @param maxInFlightBytes    {@code MAX_IN_FLIGHT_BYTES}: bytes of the records written for that work, a second bound
 * @param transactionInterval {@code TRANSACTION_INTERVAL}: exactly once, how long a transaction collects polls
 * @param transactionMaxRecords {@code TRANSACTION_MAX_RECORDS}: exactly once, input records after which a transaction
 *                            commits before its interval is over
 * @param retry               {@code RETRY_*}: retries of a {@code Retry} outcome before the record is dead-lettered
 * @param instanceId          {@code INSTANCE_ID}, else {@code HOSTNAME} (the pod name), else random: names this
 *                            instance's transactional producer
 * @param processorChoice     {@code PROCESSOR}: the business logic to run; see {@link ProcessorChoice}
 * @param processingDelay     {@code PROCESSING_DELAY}: a wait added before every record is processed, to rehearse slow
 *                            business logic (rebalances, shutdown, {@code DRAIN_TIMEOUT}); zero adds none
 * @param progressLogInterval {@code PROGRESS_LOG_INTERVAL}: how often one progress line is logged while there is
 *                            traffic or lag; zero turns it off
 */
public record ConsumerSettings(
        String bootstrapServers,
        String groupId,
        GroupProtocol protocol,
        List<String> inputTopics,
        String outputTopic,
        String deadLetterTopic,
        ProcessingGuarantee guarantee,
        Duration drainTimeout,
        int maxInFlightRecords,
        int maxInFlightBytes,
        Duration transactionInterval,
        int transactionMaxRecords,
        Retry retry,
        String instanceId,
        ProcessorChoice processorChoice,
        Duration processingDelay,
        Duration progressLogInterval) {

    /**
     * @param maxAttempts    {@code RETRY_MAX_ATTEMPTS}: attempts in all, the first included
     * @param initialBackoff {@code RETRY_INITIAL_BACKOFF}: wait before the second attempt; doubles each time, with jitter
     * @param maxBackoff     {@code RETRY_MAX_BACKOFF}: the longest single wait
     */
    public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    }

    /**
     * Reads every setting in this order, the README's, then checks the ones that depend on each other: the first
     * mistake stops the start with one line naming its variable.
     */
    static ConsumerSettings read(SettingReader read) {
        ConsumerSettings settings = new ConsumerSettings(
                read.brokerList("KAFKA_BOOTSTRAP_SERVERS"),
                read.text("KAFKA_GROUP_ID"),
                read.word("KAFKA_GROUP_PROTOCOL", GroupProtocol.values()),
                read.topicList("INPUT_TOPICS"),
                read.topic("OUTPUT_TOPIC"),
                read.topic("DLQ_TOPIC"),
                read.word("PROCESSING_GUARANTEE", ProcessingGuarantee.values()),
                read.duration("DRAIN_TIMEOUT", Duration.ZERO),
                read.integer("MAX_IN_FLIGHT_RECORDS", 1),
                read.integer("MAX_IN_FLIGHT_BYTES", 1),
                read.duration("TRANSACTION_INTERVAL", Duration.ofMillis(1)),
                read.integer("TRANSACTION_MAX_RECORDS", 1),
                new Retry(
                        read.integer("RETRY_MAX_ATTEMPTS", 1),
                        read.duration("RETRY_INITIAL_BACKOFF", Duration.ZERO),
                        read.duration("RETRY_MAX_BACKOFF", Duration.ZERO)),
                read.text("INSTANCE_ID"),
                read.word("PROCESSOR", ProcessorChoice.values()),
                read.duration("PROCESSING_DELAY", Duration.ZERO),
                read.duration("PROGRESS_LOG_INTERVAL", Duration.ZERO));
        settings.checkCombinations();
        return settings;
    }

    private void checkCombinations() {
        if (inputTopics.contains(outputTopic) || inputTopics.contains(deadLetterTopic)) {
            throw new InvalidSettingException("INPUT_TOPICS (" + String.join(",", inputTopics)
                    + ") must not contain OUTPUT_TOPIC or DLQ_TOPIC: the app would consume its own output forever.");
        }
        if (deadLetterTopic.equals(outputTopic)) {
            throw new InvalidSettingException("DLQ_TOPIC='" + deadLetterTopic + "' is also OUTPUT_TOPIC: dead letters"
                    + " would be mixed into the output; give them a topic of their own, e.g. DLQ_TOPIC=" + outputTopic
                    + "-dlq.");
        }
        if (retry.initialBackoff().compareTo(retry.maxBackoff()) > 0) {
            throw new InvalidSettingException("RETRY_INITIAL_BACKOFF (" + retry.initialBackoff().toMillis()
                    + " ms) is longer than RETRY_MAX_BACKOFF (" + retry.maxBackoff().toMillis()
                    + " ms), the longest wait: lower the first or raise the second.");
        }
    }
}
