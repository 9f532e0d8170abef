package io.eventfn.benchmarks;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** One way of consuming the same input: the plain-client baseline, or the packaged app in one of its modes. */
public enum Variant {
    BASELINE("baseline", "(a) baseline: plain KafkaConsumer + KafkaProducer, same OrderEnricher", Map.of()),
    APP("app", "(b) app, at least once", Map.of("PROCESSING_GUARANTEE", "at-least-once")),
    APP_EXACTLY_ONCE("app-exactly-once", "(c) app, exactly once", Map.of("PROCESSING_GUARANTEE", "exactly-once")),
    APP_NOOP("app-noop", "(d) app, no-op processor", Map.of("PROCESSING_GUARANTEE", "at-least-once",
            "PROCESSOR", "noop"));

    private final String argument;
    private final String label;
    private final Map<String, String> environment;

    Variant(String argument, String label, Map<String, String> environment) {
        this.argument = argument;
        this.label = label;
        this.environment = environment;
    }

    public String argument() {
        return argument;
    }

    public String label() {
        return label;
    }

    /** Settings of the app (or the baseline) beyond the topics and the group. */
    Map<String, String> environment() {
        return environment;
    }

    boolean isApp() {
        return this != BASELINE;
    }

    static Variant named(String argument) {
        return Arrays.stream(values()).filter(v -> v.argument.equals(argument)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown variant '" + argument + "': use "
                        + Arrays.stream(values()).map(Variant::argument).collect(Collectors.joining(", "))));
    }
}
