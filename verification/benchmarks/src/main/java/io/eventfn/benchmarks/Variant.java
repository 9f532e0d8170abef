package io.eventfn.benchmarks;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One way of consuming the same input: a hand-written loop on the plain Kafka clients, or the packaged app in one of
 * its modes. Each app variant is compared with the reference loop of its guarantee.
 */
public enum Variant {
    BASELINE("baseline", "(a) reference: pipelined plain-client loop, at least once", PipelinedBaseline.class,
            Map.of()),
    BASELINE_EXACTLY_ONCE("baseline-exactly-once", "(e) reference: plain-client loop, a transaction per 100 ms",
            TransactionalBaseline.class, Map.of()),
    BASELINE_FLUSH("baseline-flush", "(f) plain-client loop waiting for the broker after every poll",
            FlushPerPollBaseline.class, Map.of()),
    APP("app", "(b) app, at least once", null, Map.of("PROCESSING_GUARANTEE", "at-least-once")),
    APP_EXACTLY_ONCE("app-exactly-once", "(c) app, exactly once", null,
            Map.of("PROCESSING_GUARANTEE", "exactly-once")),
    APP_NOOP("app-noop", "(d) app, no-op processor", null, Map.of("PROCESSING_GUARANTEE", "at-least-once",
            "PROCESSOR", "noop"));

    private final String argument;
    private final String label;
    private final Class<?> mainClass;
    private final Map<String, String> environment;

    Variant(String argument, String label, Class<?> mainClass, Map<String, String> environment) {
        this.argument = argument;
        this.label = label;
        this.mainClass = mainClass;
        this.environment = environment;
    }

    public String argument() {
        return argument;
    }

    public String label() {
        return label;
    }

    /** The letter in the label, e.g. {@code (a)}. */
    String letter() {
        return label.substring(0, 3);
    }

    /** The hand-written loop's main class; null for the app. */
    Class<?> mainClass() {
        return mainClass;
    }

    /** Settings of the app (or the loop) beyond the topics and the group. */
    Map<String, String> environment() {
        return environment;
    }

    boolean isApp() {
        return mainClass == null;
    }

    /** The reference loop this variant's throughput is divided by: the one of the same guarantee. */
    Variant reference() {
        return this == APP_EXACTLY_ONCE || this == BASELINE_EXACTLY_ONCE ? BASELINE_EXACTLY_ONCE : BASELINE;
    }

    static Variant named(String argument) {
        return Arrays.stream(values()).filter(v -> v.argument.equals(argument)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown variant '" + argument + "': use "
                        + Arrays.stream(values()).map(Variant::argument).collect(Collectors.joining(", "))));
    }
}
