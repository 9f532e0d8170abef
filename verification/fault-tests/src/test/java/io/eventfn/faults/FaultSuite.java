package io.eventfn.faults;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.eventfn.kafka.local.LocalKafkaBroker;

/**
 * One broker and one results table for every fault-injection class that runs in this JVM
 * ({@code @ExtendWith(FaultSuite.class)}): the broker starts before the first class and stops after the last one, and
 * {@code RESULTS.md} is written once, with every scenario of the run, when the last class is done.
 */
final class FaultSuite implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FaultSuite.class);
    private static volatile Shared shared;

    /** What the classes share; closed by JUnit when the whole run is over. */
    private static final class Shared implements AutoCloseable {
        final long started = System.nanoTime();
        final ResultsTable results = new ResultsTable(Sizes.soak(), FaultRun.groupSetup());
        final LocalKafkaBroker broker = LocalKafkaBroker.builder()
                .consumerGroupTimings(FaultRun.SESSION_TIMEOUT, FaultRun.HEARTBEAT_INTERVAL).build();

        Shared() {
            broker.start();
        }

        @Override
        public void close() {
            try {
                results.writeTo(Path.of(System.getProperty("fault.results", "RESULTS.md")),
                        Duration.ofNanos(System.nanoTime() - started));
            } finally {
                broker.close();
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        shared = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Shared.class, key -> new Shared(),
                Shared.class);
    }

    static LocalKafkaBroker broker() {
        return current().broker;
    }

    static ResultsTable results() {
        return current().results;
    }

    private static Shared current() {
        Shared current = shared;
        if (current == null) {
            throw new IllegalStateException("no broker: annotate the test class with @ExtendWith(FaultSuite.class)");
        }
        return current;
    }
}
