package io.eventfn.app.delivery;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.jboss.logging.Logger;

import io.eventfn.app.config.AdminSettings;

/**
 * The largest record the app can write to each of its topics: the producer's own limit ({@code max.request.size}, at
 * most its buffer) and the topic's {@code max.message.bytes}, read once from the brokers. A record checked against it
 * before it is sent never reaches a broker that would refuse it, where in a transaction it would abort every other
 * record of the transaction.
 */
final class RecordLimits {

    private static final Logger LOG = Logger.getLogger(RecordLimits.class);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);
    /** Kafka's defaults. */
    private static final int MAX_REQUEST_SIZE = 1_048_576;
    private static final long BUFFER_MEMORY = 33_554_432L;

    private final Supplier<Map<String, ?>> producerConfiguration;
    private final List<String> topics;
    private volatile int producerLimit;
    private volatile Map<String, Integer> topicLimits = Map.of();

    /**
     * @param producerConfiguration the producer's configuration, read once, when the limits are first needed
     * @param topics                the topics the app writes to
     */
    RecordLimits(Supplier<Map<String, ?>> producerConfiguration, List<String> topics) {
        this.producerConfiguration = producerConfiguration;
        this.topics = topics;
    }

    /** Fixed limits, for tests. */
    static RecordLimits of(int producerLimit, Map<String, Integer> topicLimits) {
        RecordLimits limits = new RecordLimits(Map::of, List.copyOf(topicLimits.keySet()));
        limits.producerLimit = producerLimit;
        limits.topicLimits = Map.copyOf(topicLimits);
        return limits;
    }

    /**
     * Why {@code send} cannot be written, or null when it can: over the producer's limit, or (uncompressed) over its
     * topic's {@code max.message.bytes} in a batch of its own.
     */
    RecordTooLargeException refusal(Send send) {
        int producer = producerLimit();
        if (send.size() > producer) {
            return new RecordTooLargeException("the record is " + send.size() + " bytes when serialized, over the"
                    + " producer's limit of " + producer + " bytes (max.request.size, at most buffer.memory)");
        }
        String topic = send.record().topic();
        Integer limit = topicLimits.get(topic);
        // The exact size is only worked out when the upper bound (Send.size()) is over the limit: it never exceeds it.
        if (limit != null && send.size() > limit) {
            int batch = RecordSize.inBatchOfOne(send.record());
            if (batch > limit) {
                return new RecordTooLargeException("a record batch of the record alone is " + batch + " bytes, over"
                        + " the max.message.bytes of " + limit + " of " + topic);
            }
        }
        return null;
    }

    private int producerLimit() {
        int limit = producerLimit;
        if (limit == 0) {
            limit = producerLimit(producerConfiguration.get());
            producerLimit = limit;
        }
        return limit;
    }

    /** {@code max.request.size}, at most {@code buffer.memory}: the largest record the producer takes. */
    static int producerLimit(Map<String, ?> configuration) {
        long request = number(configuration.get("max.request.size"), MAX_REQUEST_SIZE);
        long buffer = number(configuration.get("buffer.memory"), BUFFER_MEMORY);
        return (int) Math.min(Math.min(request, buffer), Integer.MAX_VALUE);
    }

    private static long number(Object value, long otherwise) {
        if (value == null) {
            return otherwise;
        }
        return value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().trim());
    }

    /**
     * Reads each topic's {@code max.message.bytes} from the brokers, once. Until it has, or if it cannot (no
     * DescribeConfigs permission, say), a record over a topic's own limit is refused by the broker instead, and
     * replaced then.
     */
    void readTopicLimits() {
        Object compression = producerConfiguration.get().get("compression.type");
        if (compression != null && !"none".equalsIgnoreCase(compression.toString().trim())) {
            return; // a compressed batch may fit where the record does not: only the broker can judge
        }
        Map<String, Object> settings = AdminSettings.from(producerConfiguration.get(), "record-limits");
        Map<String, Integer> limits = new HashMap<>();
        Admin admin = null;
        try {
            admin = Admin.create(settings);
            List<ConfigResource> resources = topics.stream().distinct()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
            long deadline = System.nanoTime() + LOOKUP_TIMEOUT.toNanos();
            for (Map.Entry<ConfigResource, KafkaFuture<Config>> answer : admin.describeConfigs(resources).values()
                    .entrySet()) {
                String topic = answer.getKey().name();
                try {
                    ConfigEntry entry = answer.getValue().get(Math.max(0, deadline - System.nanoTime()),
                            TimeUnit.NANOSECONDS).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                    if (entry != null && entry.value() != null) {
                        limits.put(topic, Integer.parseInt(entry.value()));
                    }
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    LOG.infof("Could not read max.message.bytes of %s (%s): a record over the topic's own limit is"
                            + " dead-lettered once the broker refuses it", topic,
                            e instanceof ExecutionException ? e.getCause() : e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.infof("Could not ask the brokers for the topics' max.message.bytes (%s): a record over a topic's own"
                    + " limit is dead-lettered once the broker refuses it", e);
        } finally {
            if (admin != null) {
                admin.close(CLOSE_TIMEOUT); // not waiting for answers that came too late
            }
        }
        topicLimits = Map.copyOf(limits);
        LOG.debugf("Topics' max.message.bytes: %s", limits);
    }
}
