package io.eventfn.app.testing;

import io.eventfn.kafka.local.LocalKafkaBroker;

/**
 * One real broker for the whole test JVM: starting Kafka takes seconds, so test classes share it and use their own
 * topics or groups where they must not see each other. Stopped by its handle when the JVM exits.
 */
public final class SharedBroker {

    private static LocalKafkaBroker broker;

    private SharedBroker() {
    }

    public static synchronized LocalKafkaBroker get() {
        if (broker == null) {
            LocalKafkaBroker started = LocalKafkaBroker.builder().build();
            started.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-local-kafka"));
            broker = started;
        }
        return broker;
    }
}
