package io.eventfn.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole start-up check, in process, on the app's real application.properties and an environment of the test's
 * making: every wrong value stops it with the app's own line. The packaged app's {@code SettingsCheckedAtStartIT}
 * proves the same for one wrong value of each README setting in a real process.
 */
class StartupSettingsCheckTest {

    private static final String BROKERS = "broker-0.kafka:9092,broker-1.kafka:9092";

    @Test
    void readsEverySettingWithItsDefaultFromApplicationProperties() {
        ConsumerSettings settings = check(Map.of("HOSTNAME", "pod-1"));

        assertThat(settings).isEqualTo(new ConsumerSettings(BROKERS, "order-enricher", GroupProtocol.CONSUMER,
                List.of("orders"), "orders-enriched", "orders-dlq", ProcessingGuarantee.AT_LEAST_ONCE,
                Duration.ofSeconds(10), 20_000, 16_777_216, Duration.ofMillis(100), 10_000,
                new ConsumerSettings.Retry(5, Duration.ofMillis(200), Duration.ofSeconds(5)), "pod-1",
                ProcessorChoice.ORDER_ENRICHER, Duration.ZERO, Duration.ofSeconds(30)));
    }

    @Test
    void readsEverySettingFromItsVariable() {
        ConsumerSettings settings = check(Map.ofEntries(Map.entry("KAFKA_GROUP_ID", "g"),
                Map.entry("KAFKA_GROUP_PROTOCOL", "classic"), Map.entry("INPUT_TOPICS", " a , b.c_d-e "),
                Map.entry("OUTPUT_TOPIC", "out"), Map.entry("DLQ_TOPIC", "dead"),
                Map.entry("PROCESSING_GUARANTEE", "exactly-once"), Map.entry("DRAIN_TIMEOUT", "0"),
                Map.entry("RETRY_MAX_ATTEMPTS", "1"), Map.entry("RETRY_INITIAL_BACKOFF", "1s"),
                Map.entry("RETRY_MAX_BACKOFF", "PT1M"), Map.entry("INSTANCE_ID", "i-1"), Map.entry("PROCESSOR", "noop"),
                Map.entry("PROGRESS_LOG_INTERVAL", "0"), Map.entry("MAX_IN_FLIGHT_RECORDS", "7"),
                Map.entry("MAX_IN_FLIGHT_BYTES", "8"), Map.entry("TRANSACTION_INTERVAL", "1s"),
                Map.entry("TRANSACTION_MAX_RECORDS", "9"), Map.entry("PROCESSING_DELAY", "2ms")));

        assertThat(settings).isEqualTo(new ConsumerSettings(BROKERS, "g", GroupProtocol.CLASSIC, List.of("a", "b.c_d-e"),
                "out", "dead", ProcessingGuarantee.EXACTLY_ONCE, Duration.ZERO, 7, 8, Duration.ofSeconds(1), 9,
                new ConsumerSettings.Retry(1, Duration.ofSeconds(1), Duration.ofMinutes(1)), "i-1", ProcessorChoice.NOOP,
                Duration.ofMillis(2), Duration.ZERO));
    }

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                refused(env("KAFKA_BOOTSTRAP_SERVERS", ""), "KAFKA_BOOTSTRAP_SERVERS is not set: set it to the Kafka"
                        + " broker list, e.g. KAFKA_BOOTSTRAP_SERVERS=broker-0.kafka:9092,broker-1.kafka:9092"),
                refused(env("KAFKA_BOOTSTRAP_SERVERS", "broker"), "KAFKA_BOOTSTRAP_SERVERS='broker' is not a broker"
                        + " list: write host:port pairs separated by commas, e.g. broker-0.kafka:9092,broker-1.kafka:9092."),
                refused(env("KAFKA_BOOTSTRAP_SERVERS", "broker:99999"), "KAFKA_BOOTSTRAP_SERVERS='broker:99999' is not"),
                refused(env("KAFKA_GROUP_ID", ""),
                        "KAFKA_GROUP_ID is empty: set it, or unset it to use the default order-enricher."),
                refused(env("KAFKA_GROUP_PROTOCOL", "cooperative"),
                        "KAFKA_GROUP_PROTOCOL='cooperative' is not supported: set it to consumer (the default) or classic."),
                refused(env("INPUT_TOPICS", ""), "INPUT_TOPICS is empty: set it, or unset it to use the default orders."),
                refused(env("INPUT_TOPICS", "a,,b"), "INPUT_TOPICS='a,,b' has an empty topic name: write the topics"
                        + " separated by single commas, e.g. INPUT_TOPICS=orders,returns."),
                refused(env("INPUT_TOPICS", "orders,bad topic!"), "INPUT_TOPICS='orders,bad topic!': 'bad topic!' is"
                        + " not a legal Kafka topic name: use up to 249 letters, digits, '.', '_' and '-' (not . or ..)."),
                refused(env("OUTPUT_TOPIC", "bad topic!"), "OUTPUT_TOPIC='bad topic!': 'bad topic!' is not a legal"
                        + " Kafka topic name"),
                refused(env("OUTPUT_TOPIC", ".."), "OUTPUT_TOPIC='..': '..' is not a legal Kafka topic name"),
                refused(env("DLQ_TOPIC", "x".repeat(250)), "DLQ_TOPIC='" + "x".repeat(250) + "': "),
                refused(env("DLQ_TOPIC", "orders-enriched"), "DLQ_TOPIC='orders-enriched' is also OUTPUT_TOPIC: dead"
                        + " letters would be mixed into the output; give them a topic of their own, e.g."
                        + " DLQ_TOPIC=orders-enriched-dlq."),
                refused(env("INPUT_TOPICS", "orders,orders-dlq"), "INPUT_TOPICS (orders,orders-dlq) must not contain"
                        + " OUTPUT_TOPIC or DLQ_TOPIC: the app would consume its own output forever."),
                refused(env("PROCESSING_GUARANTEE", "at-most-once"), "PROCESSING_GUARANTEE='at-most-once' is not"
                        + " supported: set it to at-least-once (the default) or exactly-once."),
                refused(env("DRAIN_TIMEOUT", "abc"), "DRAIN_TIMEOUT='abc' is not a duration: write a number and a unit,"
                        + " e.g. DRAIN_TIMEOUT=10s (ms, s, m, h)."),
                refused(env("DRAIN_TIMEOUT", "-5s"),
                        "DRAIN_TIMEOUT='-5s' must not be negative: set e.g. DRAIN_TIMEOUT=10s."),
                refused(env("RETRY_MAX_ATTEMPTS", "x"),
                        "RETRY_MAX_ATTEMPTS='x' is not a whole number: set e.g. RETRY_MAX_ATTEMPTS=5."),
                refused(env("RETRY_MAX_ATTEMPTS", "0"), "RETRY_MAX_ATTEMPTS=0 is too small: set it to at least 1."),
                refused(env("RETRY_INITIAL_BACKOFF", "soon"), "RETRY_INITIAL_BACKOFF='soon' is not a duration"),
                refused(env("RETRY_INITIAL_BACKOFF", "-1s"), "RETRY_INITIAL_BACKOFF='-1s' must not be negative"),
                refused(env("RETRY_MAX_BACKOFF", "5 seconds"), "RETRY_MAX_BACKOFF='5 seconds' is not a duration"),
                refused(env("RETRY_INITIAL_BACKOFF", "10s"), "RETRY_INITIAL_BACKOFF (10000 ms) is longer than"
                        + " RETRY_MAX_BACKOFF (5000 ms), the longest wait: lower the first or raise the second."),
                refused(env("RETRY_MAX_BACKOFF", "100ms"), "RETRY_INITIAL_BACKOFF (200 ms) is longer than"
                        + " RETRY_MAX_BACKOFF (100 ms)"),
                refused(env("INSTANCE_ID", ""), "INSTANCE_ID is empty: set it, or unset it to use its default."),
                refused(env("PROCESSOR", "magic"),
                        "PROCESSOR='magic' is not supported: set it to order-enricher (the default) or noop."),
                refused(env("PROGRESS_LOG_INTERVAL", "soon"), "PROGRESS_LOG_INTERVAL='soon' is not a duration"),
                refused(env("PROGRESS_LOG_INTERVAL", "-1s"), "PROGRESS_LOG_INTERVAL='-1s' must not be negative"),
                // Kafka client properties: Kafka's own rules, then the app's promises.
                refused(env("KAFKA_MAX_POLL_RECORDS", "abc"), "KAFKA_MAX_POLL_RECORDS='abc' is not a valid"
                        + " max.poll.records: Invalid value abc for configuration max.poll.records: Not a number of type"
                        + " INT. Set a value Kafka accepts, or remove KAFKA_MAX_POLL_RECORDS."),
                refused(env("KAFKA_MAX_POLL_RECORDS", "0"), "KAFKA_MAX_POLL_RECORDS='0' is not a valid max.poll.records"),
                refused(env("KAFKA_ISOLATION_LEVEL", "serializable"), "KAFKA_ISOLATION_LEVEL='serializable' is not a"
                        + " valid isolation.level"),
                refused(env("KAFKA_ENABLE_AUTO_COMMIT", "true"), "KAFKA_ENABLE_AUTO_COMMIT=true is refused: the"
                        + " consumer would commit the positions of records it has not processed yet, and a crash would"
                        + " lose them. The app commits each batch itself once its outputs are acknowledged: remove"
                        + " KAFKA_ENABLE_AUTO_COMMIT."),
                refused(env("kafka.enable.auto.commit", "TRUE"), "KAFKA_ENABLE_AUTO_COMMIT=TRUE is refused"),
                refused(env("MP_MESSAGING_INCOMING_INPUT_ENABLE_AUTO_COMMIT", "true"),
                        "MP_MESSAGING_INCOMING_INPUT_ENABLE_AUTO_COMMIT=true is refused"),
                refused(env("MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_ENABLE_AUTO_COMMIT", "true"),
                        "MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_ENABLE_AUTO_COMMIT=true is refused"),
                refused(env("KAFKA_ACKS", "1"), "KAFKA_ACKS=1 is set, but the app sets acks=all itself on its output and"
                        + " output-transactional channels (application.properties): an input offset is committed once its"
                        + " outputs are acknowledged, and only acks=all keeps that acknowledgement through the loss of a"
                        + " broker. Remove KAFKA_ACKS."),
                refused(env("KAFKA_ACKS", "0"), "KAFKA_ACKS=0 is set, but the app sets acks=all itself"),
                refused(env("KAFKA_ENABLE_IDEMPOTENCE", "false"), "KAFKA_ENABLE_IDEMPOTENCE=false is set, but the app"
                        + " sets enable.idempotence=true itself on its output channel"),
                refused(env("KAFKA_LINGER_MS", "20"), "KAFKA_LINGER_MS=20 is set, but the app sets linger.ms"),
                refused(env("KAFKA_TRANSACTIONAL_ID", "t"), "KAFKA_TRANSACTIONAL_ID=t is set, but the app sets"
                        + " transactional.id=order-enricher-"),
                refused(env("PROCESSING_GUARANTEE", "exactly-once", "KAFKA_ISOLATION_LEVEL", "read_uncommitted"),
                        "KAFKA_ISOLATION_LEVEL=read_uncommitted is refused with PROCESSING_GUARANTEE=exactly-once: the app"
                                + " would process records of aborted upstream transactions, and its output would carry"
                                + " the effects of input that never happened (Kafka Streams forces read_committed in this"
                                + " mode too). Remove KAFKA_ISOLATION_LEVEL."),
                refused(env("KAFKA_AUTO_OFFSET_RESET", "none"), "KAFKA_AUTO_OFFSET_RESET=none is refused: a group"
                        + " without committed offsets (a new one, or one whose offsets expired) would fail every poll and"
                        + " consume nothing while the app looks healthy. Use earliest (the default) or latest."),
                refused(env("KAFKA_SESSION_TIMEOUT_MS", "6000"), "KAFKA_SESSION_TIMEOUT_MS is set, but"
                        + " KAFKA_GROUP_PROTOCOL=consumer (the default) does not take session.timeout.ms"),
                refused(env("KAFKA_GROUP_PROTOCOL", "classic", "KAFKA_GROUP_REMOTE_ASSIGNOR", "range"),
                        "KAFKA_GROUP_REMOTE_ASSIGNOR is set, but KAFKA_GROUP_PROTOCOL=classic does not take"),
                refused(env("KAFKA_GROUP_PROTOCOL", "classic", "KAFKA_PARTITION_ASSIGNMENT_STRATEGY", "range"),
                        "KAFKA_PARTITION_ASSIGNMENT_STRATEGY=range is set, but the app sets partition.assignment.strategy"
                                + "=org.apache.kafka.clients.consumer.CooperativeStickyAssignor itself on its input channel"),
                refused(env("KAFKA_SASL_USERNAME", "alice"),
                        "KAFKA_SASL_USERNAME is set but KAFKA_SASL_PASSWORD is not: set both, or neither."),
                refused(env("KAFKA_SASL_PASSWORD", "secret"),
                        "KAFKA_SASL_PASSWORD is set but KAFKA_SASL_USERNAME is not: set both, or neither."),
                refused(env("KAFKA_SASL_USERNAME", "alice", "KAFKA_SASL_PASSWORD", "secret", "KAFKA_SASL_MECHANISM",
                        "GSSAPI"), "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM set to"
                                + " SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN, not 'GSSAPI'."),
                // One name per setting: every other spelling names the variable to use.
                refused(env("CONSUMER_OUTPUT_TOPIC", "x"), "CONSUMER_OUTPUT_TOPIC is set, but this app reads that setting"
                        + " from OUTPUT_TOPIC only: set OUTPUT_TOPIC instead, and remove CONSUMER_OUTPUT_TOPIC."),
                refused(env("consumer.drain-timeout", "1s"), "CONSUMER_DRAIN_TIMEOUT is set, but this app reads that"
                        + " setting from DRAIN_TIMEOUT only"),
                refused(env("CONSUMER_RETRY_MAX_ATTEMPTS", "2"), "CONSUMER_RETRY_MAX_ATTEMPTS is set, but this app reads"
                        + " that setting from RETRY_MAX_ATTEMPTS only"),
                refused(env("MP_MESSAGING_INCOMING_INPUT_TOPICS", "x"), "MP_MESSAGING_INCOMING_INPUT_TOPICS is set, but"
                        + " this app reads that setting from INPUT_TOPICS only: set INPUT_TOPICS instead, and remove"
                        + " MP_MESSAGING_INCOMING_INPUT_TOPICS."),
                refused(env("MP_MESSAGING_INCOMING_INPUT_TOPIC", "x"), "MP_MESSAGING_INCOMING_INPUT_TOPIC is set, but this"
                        + " app reads that setting from INPUT_TOPICS only"),
                refused(env("MP_MESSAGING_INCOMING_INPUT_PATTERN", "true"), "MP_MESSAGING_INCOMING_INPUT_PATTERN is set,"
                        + " but this app reads that setting from INPUT_TOPICS only"),
                refused(env("KAFKA_TOPIC", "x"), "KAFKA_TOPIC is set, but this app reads that setting from INPUT_TOPICS"),
                refused(env("MP_MESSAGING_OUTGOING_OUTPUT_TOPIC", "x"), "MP_MESSAGING_OUTGOING_OUTPUT_TOPIC is set, but this"
                        + " app reads that setting from OUTPUT_TOPIC only"),
                refused(env("MP_MESSAGING_OUTGOING_OUTPUT_TRANSACTIONAL_TOPIC", "x"),
                        "MP_MESSAGING_OUTGOING_OUTPUT_TRANSACTIONAL_TOPIC is set, but this app reads that setting from"
                                + " OUTPUT_TOPIC only"),
                refused(env("MP_MESSAGING_INCOMING_INPUT_GROUP_ID", "x"), "MP_MESSAGING_INCOMING_INPUT_GROUP_ID is set, but"
                        + " this app reads that setting from KAFKA_GROUP_ID only"),
                refused(env("MP_MESSAGING_INCOMING_INPUT_GROUP_PROTOCOL", "classic"),
                        "MP_MESSAGING_INCOMING_INPUT_GROUP_PROTOCOL is set, but this app reads that setting from"
                                + " KAFKA_GROUP_PROTOCOL only"),
                refused(env("MP_MESSAGING_INCOMING_INPUT_MAX_POLL_RECORDS", "10"),
                        "MP_MESSAGING_INCOMING_INPUT_MAX_POLL_RECORDS is set, but this app reads that setting from"
                                + " KAFKA_MAX_POLL_RECORDS only"),
                refused(env("MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_MAX_POLL_RECORDS", "10"),
                        "MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_MAX_POLL_RECORDS is set, but this app reads that setting"
                                + " from KAFKA_MAX_POLL_RECORDS only"),
                refused(env("MP_MESSAGING_OUTGOING_OUTPUT_LINGER_MS", "5"), "MP_MESSAGING_OUTGOING_OUTPUT_LINGER_MS is set,"
                        + " but the app fixes mp.messaging.outgoing.output.linger.ms=0 in its application.properties:"
                        + " remove MP_MESSAGING_OUTGOING_OUTPUT_LINGER_MS."),
                refused(env("MP_MESSAGING_INCOMING_INPUT_COMMIT_STRATEGY", "throttled"),
                        "MP_MESSAGING_INCOMING_INPUT_COMMIT_STRATEGY is set, but the app fixes"
                                + " mp.messaging.incoming.input.commit-strategy=delivery"),
                refused(env("MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_ACKS", "1"),
                        "MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_ACKS=1 is set, but the app sets acks=all itself"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongValues")
    void refusesEveryWrongValueInOneLineNamingTheVariableAndWhatToDo(Map<String, String> environment, String expected) {
        assertThatThrownBy(() -> check(environment)).isInstanceOf(InvalidSettingException.class)
                .message().startsWith(expected).doesNotContain("\n", "SRCFG");
    }

    /**
     * Every property application.properties binds to a variable, or sets on a channel from one of the app's settings,
     * spelled as SmallRye's environment source would take it: CONSUMER_OUTPUT_TOPIC, MP_MESSAGING_INCOMING_INPUT_TOPICS...
     */
    static Stream<Arguments> otherSpellingsOfEverySetting() {
        ApplicationProperties written = ApplicationProperties.of(config(Map.of()));
        List<Arguments> spellings = new ArrayList<>();
        for (String property : written.names()) {
            String spelling = ApplicationProperties.environmentVariableOf(property);
            written.variableOf(property).filter(variable -> !variable.equals(spelling))
                    .ifPresent(variable -> spellings.add(Arguments.of(spelling, variable)));
        }
        assertThat(spellings).as("spellings of the app's settings").hasSizeGreaterThan(15);
        return spellings.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("otherSpellingsOfEverySetting")
    void refusesEveryOtherSpellingOfASettingNamingItsVariable(String spelling, String variable) {
        assertThatThrownBy(() -> check(Map.of(spelling, "elsewhere"))).isInstanceOf(InvalidSettingException.class)
                .hasMessage(spelling + " is set, but this app reads that setting from " + variable + " only: set "
                        + variable + " instead, and remove " + spelling + ".");
    }

    @Test
    void refusesASettingGivenAsASystemPropertyNamingItsVariable() {
        System.setProperty("consumer.output-topic", "elsewhere");
        try {
            assertThatThrownBy(() -> check(Map.of())).hasMessage("-Dconsumer.output-topic is set, but this app reads"
                    + " that setting from OUTPUT_TOPIC only: set OUTPUT_TOPIC instead, and remove -Dconsumer.output-topic.");
        } finally {
            System.clearProperty("consumer.output-topic");
        }
    }

    @Test
    void acceptsTheSpellingsThatMeanTheSameAsTheSetting() {
        assertThatCode(() -> check(Map.of("KAFKA_GROUP_ID", "g", "KAFKA_ACKS", "all", "KAFKA_MAX_POLL_RECORDS", "1000",
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true", "KAFKA_GROUP_PROTOCOL", "classic",
                "KAFKA_SESSION_TIMEOUT_MS", "10000", "KAFKA_SASL_USERNAME", "alice", "KAFKA_SASL_PASSWORD", "secret",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"))).doesNotThrowAnyException();
    }

    @Test
    void warnsOnceForEachTradeOffItAccepts() {
        Config config = config(Map.of("KAFKA_ISOLATION_LEVEL", "read_uncommitted", "KAFKA_AUTO_OFFSET_RESET", "latest",
                "DRAIN_TIMEOUT", "0s", "KAFKA_SASL_MECHANISMS", "PLAIN"));
        Map<String, Object> clientDefaults = ConfigBeforeStart.kafkaClientDefaults(config);
        ConsumerSettings settings = StartupSettingsCheck.refuseMistakes(config, clientDefaults);

        assertThat(KafkaClientPropertiesCheck.tradeOffs(config, clientDefaults, settings)).containsExactly(
                "KAFKA_ISOLATION_LEVEL=read_uncommitted: records of aborted upstream transactions are processed too,"
                        + " as if they had been committed.",
                "KAFKA_AUTO_OFFSET_RESET=latest: a group without committed offsets (a new one, or one whose offsets"
                        + " expired) skips the records written before it starts; KEDA's offsetResetPolicy should say the"
                        + " same (deploy/ says earliest).",
                "DRAIN_TIMEOUT=0: on SIGTERM and on rebalance, batches in flight are not waited for; the next owner of"
                        + " their partitions processes them again (duplicates).",
                "KAFKA_SASL_MECHANISMS is not a property of Kafka's consumer, producer or admin client: the clients"
                        + " ignore it. Check the spelling.");
    }

    @Test
    void warnsAboutNothingWithTheDefaults() {
        Config config = config(Map.of());
        Map<String, Object> clientDefaults = ConfigBeforeStart.kafkaClientDefaults(config);

        assertThat(KafkaClientPropertiesCheck.tradeOffs(config, clientDefaults,
                StartupSettingsCheck.refuseMistakes(config, clientDefaults))).isEmpty();
    }

    @Test
    void refusesQuarkusOwnSettingsBeforeQuarkusReadsThem() {
        assertThat(QuarkusSettingsCheck.problem(Map.of("QUARKUS_HTTP_PORT", "abc"))).contains(
                "QUARKUS_HTTP_PORT='abc' is not a port: set a number from 1 to 65535, or 0 for any free one (the default is"
                        + " 8080).");
        assertThat(QuarkusSettingsCheck.problem(Map.of("QUARKUS_HTTP_PORT", "70000"))).isPresent();
        assertThat(QuarkusSettingsCheck.problem(Map.of("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "maybe"))).contains(
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED='maybe' is not true or false: set QUARKUS_LOG_CONSOLE_JSON_ENABLED=true"
                        + " for one JSON object per log line, or false (the default) for readable lines.");
        assertThat(QuarkusSettingsCheck.problem(Map.of("QUARKUS_HTTP_PORT", "8081", "QUARKUS_LOG_CONSOLE_JSON", "TRUE")))
                .isEmpty();
    }

    private static ConsumerSettings check(Map<String, String> environment) {
        Config config = config(environment);
        return StartupSettingsCheck.refuseMistakes(config, ConfigBeforeStart.kafkaClientDefaults(config));
    }

    /** The app's configuration with this environment: the brokers set, unless the test sets them itself. */
    private static Config config(Map<String, String> environment) {
        Map<String, String> withBrokers = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", BROKERS));
        withBrokers.putAll(environment);
        return ConfigBeforeStart.of(withBrokers);
    }

    private static Map<String, String> env(String... variablesAndValues) {
        Map<String, String> environment = new HashMap<>();
        for (int i = 0; i < variablesAndValues.length; i += 2) {
            environment.put(variablesAndValues[i], variablesAndValues[i + 1]);
        }
        return environment;
    }

    private static Arguments refused(Map<String, String> environment, String message) {
        return Arguments.of(environment, message);
    }
}
