package io.eventfn.kafka.local;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LocalKafkaBroker} for a test class, started before its first test and closed by its handle after its
 * last: register it as a static field, {@code @RegisterExtension static final LocalKafkaBrokerExtension KAFKA = ...},
 * and each test asks it for {@link #broker()}. Each test then makes its own topics and groups.
 */
public final class LocalKafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private final UnaryOperator<LocalKafkaBroker.Builder> settings;
    private LocalKafkaBroker broker;

    private LocalKafkaBrokerExtension(UnaryOperator<LocalKafkaBroker.Builder> settings) {
        this.settings = settings;
    }

    /** A plain broker with the kit's defaults. */
    public static LocalKafkaBrokerExtension plain() {
        return new LocalKafkaBrokerExtension(UnaryOperator.identity());
    }

    /** A broker built with {@code settings} applied to {@link LocalKafkaBroker#builder()}: users, timings, heap. */
    public static LocalKafkaBrokerExtension with(UnaryOperator<LocalKafkaBroker.Builder> settings) {
        return new LocalKafkaBrokerExtension(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = settings.apply(LocalKafkaBroker.builder()).build();
        broker.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
        }
    }

    /** The class's broker; running from before the first test to after the last, unless a test stops it. */
    public LocalKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("The broker starts before the class's first test: register this extension"
                    + " on a static field (@RegisterExtension static final), not an instance field");
        }
        return broker;
    }
}
