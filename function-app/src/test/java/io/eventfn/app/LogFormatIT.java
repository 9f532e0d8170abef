package io.eventfn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventfn.app.testing.AppUnderTest;
import io.eventfn.kafka.local.PackagedApp;

/**
 * The packaged app logs human-readable lines unless told otherwise, and one JSON object per line with
 * {@code QUARKUS_LOG_CONSOLE_JSON_ENABLED=true} (or the older {@code QUARKUS_LOG_CONSOLE_JSON=true}). No broker is
 * needed: the start-up lines come before any connection.
 */
class LogFormatIT {

    private static final Path WORK = Path.of("target", "it-work");
    private static final Duration STARTED = Duration.ofSeconds(30);

    @Test
    void logsHumanReadableLinesByDefault() {
        List<String> lines = startUpLines(Map.of());
        assertThat(lines).noneMatch(line -> line.startsWith("{"));
    }

    @Test
    void logsOneJsonObjectPerLineWhenAskedTo() {
        for (String variable : new String[] { "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "QUARKUS_LOG_CONSOLE_JSON" }) {
            List<String> lines = startUpLines(Map.of(variable, "true"));
            assertThat(lines).as("with %s=true", variable)
                    .allMatch(line -> line.startsWith("{\"timestamp\":") && line.endsWith("}"));
        }
    }

    /** Starts the app against a port nobody listens on and returns its log lines up to "started". */
    private static List<String> startUpLines(Map<String, String> extra) {
        Map<String, String> environment = AppUnderTest.environment("127.0.0.1:1");
        environment.putAll(extra);
        try (PackagedApp app = AppUnderTest.start(environment, WORK)) {
            await().atMost(STARTED).until(() -> app.output().contains("started in"));
            List<String> lines = Arrays.stream(app.output().split("\n"))
                    .filter(line -> !line.isBlank() && !line.startsWith("\t") && !line.startsWith("WARNING:"))
                    .toList();
            assertThat(lines).isNotEmpty();
            return lines;
        }
    }
}
