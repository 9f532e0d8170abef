package io.eventfn.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.eventfn.app.testing.AppUnderTest;
import io.eventfn.kafka.local.PackagedApp;

/**
 * A wrong value of every setting in the README's configuration table, given to the packaged app as a real process:
 * it exits 1 within seconds, before any broker contact (so no broker runs here), with one line that names the
 * variable, the value and what to do. Every other wrong value is in {@code StartupSettingsCheckTest}, in process.
 */
class SettingsCheckedAtStartIT {

    private static final Path WORK = Path.of("target", "it-work");
    private static final Path README = Path.of("..", "README.md");
    private static final Duration QUICKLY = Duration.ofSeconds(5);
    private static final Pattern DOCUMENTED_VARIABLE = Pattern.compile("^\\| `([A-Z][A-Z0-9_<>]*)`");

    /** README variable -> a wrong value of it (with what else it needs) and the start of the line the app exits with. */
    private static final Map<String, WrongValue> WRONG_VALUES = new LinkedHashMap<>();

    static {
        wrong("KAFKA_BOOTSTRAP_SERVERS", Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker"),
                "KAFKA_BOOTSTRAP_SERVERS='broker' is not a broker list: write host:port pairs");
        wrong("KAFKA_GROUP_ID", Map.of("KAFKA_GROUP_ID", ""),
                "KAFKA_GROUP_ID is empty: set it, or unset it to use the default order-enricher.");
        wrong("INPUT_TOPICS", Map.of("INPUT_TOPICS", "a,,b"), "INPUT_TOPICS='a,,b' has an empty topic name");
        wrong("OUTPUT_TOPIC", Map.of("OUTPUT_TOPIC", "bad topic!"),
                "OUTPUT_TOPIC='bad topic!': 'bad topic!' is not a legal Kafka topic name");
        wrong("DLQ_TOPIC", Map.of("DLQ_TOPIC", "orders-enriched"), "DLQ_TOPIC='orders-enriched' is also OUTPUT_TOPIC");
        wrong("PROCESSING_GUARANTEE", Map.of("PROCESSING_GUARANTEE", "at-most-once"),
                "PROCESSING_GUARANTEE='at-most-once' is not supported: set it to at-least-once (the default) or"
                        + " exactly-once.");
        wrong("DRAIN_TIMEOUT", Map.of("DRAIN_TIMEOUT", "-5s"), "DRAIN_TIMEOUT='-5s' must not be negative");
        wrong("MAX_IN_FLIGHT_RECORDS", Map.of("MAX_IN_FLIGHT_RECORDS", "0"), "MAX_IN_FLIGHT_RECORDS=0 is too small");
        wrong("MAX_IN_FLIGHT_BYTES", Map.of("MAX_IN_FLIGHT_BYTES", "16MiB"),
                "MAX_IN_FLIGHT_BYTES='16MiB' is not a whole number");
        wrong("TRANSACTION_INTERVAL", Map.of("TRANSACTION_INTERVAL", "0"), "TRANSACTION_INTERVAL='0' must not be below");
        wrong("TRANSACTION_MAX_RECORDS", Map.of("TRANSACTION_MAX_RECORDS", "many"),
                "TRANSACTION_MAX_RECORDS='many' is not a whole number");
        wrong("RETRY_MAX_ATTEMPTS", Map.of("RETRY_MAX_ATTEMPTS", "0"), "RETRY_MAX_ATTEMPTS=0 is too small");
        wrong("RETRY_INITIAL_BACKOFF", Map.of("RETRY_INITIAL_BACKOFF", "soon"),
                "RETRY_INITIAL_BACKOFF='soon' is not a duration");
        wrong("RETRY_MAX_BACKOFF", Map.of("RETRY_MAX_BACKOFF", "100ms"),
                "RETRY_INITIAL_BACKOFF (200 ms) is longer than RETRY_MAX_BACKOFF (100 ms)");
        wrong("INSTANCE_ID", Map.of("INSTANCE_ID", ""), "INSTANCE_ID is empty");
        wrong("KAFKA_SASL_USERNAME", Map.of("KAFKA_SASL_USERNAME", "alice"),
                "KAFKA_SASL_USERNAME is set but KAFKA_SASL_PASSWORD is not: set both, or neither.");
        wrong("KAFKA_SASL_PASSWORD", Map.of("KAFKA_SASL_USERNAME", "alice", "KAFKA_SASL_PASSWORD", "Secret-1"),
                "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM set to");
        wrong("KAFKA_<PROPERTY>", Map.of("KAFKA_ENABLE_AUTO_COMMIT", "true"), "KAFKA_ENABLE_AUTO_COMMIT=true is refused");
        wrong("KAFKA_MAX_POLL_RECORDS", Map.of("KAFKA_MAX_POLL_RECORDS", "abc"),
                "KAFKA_MAX_POLL_RECORDS='abc' is not a valid max.poll.records");
        wrong("KAFKA_GROUP_PROTOCOL", Map.of("KAFKA_GROUP_PROTOCOL", "cooperative"),
                "KAFKA_GROUP_PROTOCOL='cooperative' is not supported: set it to consumer (the default) or classic.");
        wrong("QUARKUS_HTTP_PORT", Map.of("QUARKUS_HTTP_PORT", "70000"), "QUARKUS_HTTP_PORT='70000' is not a port");
        wrong("PROCESSOR", Map.of("PROCESSOR", "magic"), "PROCESSOR='magic' is not supported");
        wrong("PROCESSING_DELAY", Map.of("PROCESSING_DELAY", "-1s"), "PROCESSING_DELAY='-1s' must not be negative");
        wrong("PROGRESS_LOG_INTERVAL", Map.of("PROGRESS_LOG_INTERVAL", "soon"),
                "PROGRESS_LOG_INTERVAL='soon' is not a duration");
        wrong("QUARKUS_LOG_CONSOLE_JSON_ENABLED", Map.of("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "yes please"),
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED='yes please' is not true or false");
    }

    record WrongValue(Map<String, String> environment, String line) {
    }

    @Test
    void coversEverySettingOfTheReadme() throws IOException {
        assertThat(WRONG_VALUES.keySet()).as("README settings with a wrong value below")
                .containsExactlyInAnyOrderElementsOf(documentedVariables());
    }

    static Stream<Arguments> wrongValues() {
        return WRONG_VALUES.entrySet().stream()
                .map(row -> Arguments.of(row.getKey(), row.getValue().environment(), row.getValue().line()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("wrongValues")
    void exitsWithinSecondsWithOneLineNamingTheVariable(String setting, Map<String, String> wrong, String line) {
        assertExitsWithOneLine(wrong, line);
    }

    /** The spellings that, before, were silently ignored or changed one part of the app but not another. */
    static Stream<Arguments> otherSpellingsAndBrokenPromises() {
        return Stream.of(
                Arguments.of(Map.of("MP_MESSAGING_OUTGOING_OUTPUT_TOPIC", "elsewhere"),
                        "MP_MESSAGING_OUTGOING_OUTPUT_TOPIC is set, but this app reads that setting from OUTPUT_TOPIC"
                                + " only: set OUTPUT_TOPIC instead, and remove MP_MESSAGING_OUTGOING_OUTPUT_TOPIC."),
                Arguments.of(Map.of("MP_MESSAGING_INCOMING_INPUT_TOPICS", "elsewhere"),
                        "MP_MESSAGING_INCOMING_INPUT_TOPICS is set, but this app reads that setting from INPUT_TOPICS"),
                Arguments.of(Map.of("CONSUMER_OUTPUT_TOPIC", "elsewhere"),
                        "CONSUMER_OUTPUT_TOPIC is set, but this app reads that setting from OUTPUT_TOPIC only"),
                Arguments.of(Map.of("KAFKA_ACKS", "1"), "KAFKA_ACKS=1 is set, but the app sets acks=all itself"),
                Arguments.of(Map.of("PROCESSING_GUARANTEE", "exactly-once", "KAFKA_ISOLATION_LEVEL", "read_uncommitted"),
                        "KAFKA_ISOLATION_LEVEL=read_uncommitted is refused with PROCESSING_GUARANTEE=exactly-once"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherSpellingsAndBrokenPromises")
    void exitsWithinSecondsNamingTheVariableToUseOrWhatIsAtStake(Map<String, String> wrong, String line) {
        assertExitsWithOneLine(wrong, line);
    }

    private static void assertExitsWithOneLine(Map<String, String> wrong, String line) {
        // Nothing listens there: a start that got past the check would not exit at all.
        Map<String, String> environment = AppUnderTest.environment("127.0.0.1:1");
        environment.putAll(wrong);
        try (PackagedApp app = AppUnderTest.start(environment, WORK)) {
            int exitCode = app.awaitExit(Duration.ofSeconds(30));
            Duration took = Duration.between(app.started(), Instant.now());
            List<String> lines = app.output().lines().filter(text -> !text.isBlank()).toList();

            assertThat(exitCode).as("exit code").isEqualTo(1);
            assertThat(lines).as("output").singleElement().asString().startsWith(line).doesNotContain("SRCFG");
            assertThat(took).as("time to exit").isLessThan(QUICKLY);
        }
    }

    private static void wrong(String variable, Map<String, String> environment, String line) {
        WRONG_VALUES.put(variable, new WrongValue(environment, line));
    }

    /** The first column of the README's table under "## Configuration". */
    private static Set<String> documentedVariables() throws IOException {
        Set<String> variables = new TreeSet<>();
        boolean inConfiguration = false;
        for (String text : Files.readAllLines(README)) {
            if (text.startsWith("## ")) {
                inConfiguration = text.trim().equals("## Configuration");
            }
            Matcher row = DOCUMENTED_VARIABLE.matcher(text);
            if (inConfiguration && row.find()) {
                variables.add(row.group(1));
            }
        }
        assertThat(variables).as("settings in %s", README.toAbsolutePath()).isNotEmpty();
        return variables;
    }
}
