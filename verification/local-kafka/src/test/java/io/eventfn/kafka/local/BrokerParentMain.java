package io.eventfn.kafka.local;

import java.nio.file.Path;

/**
 * The parent JVM of {@link BrokerOrphanTest}: starts a broker on the data dir given as argument,
 * prints its pid, then waits to be killed. It never closes the broker.
 */
public final class BrokerParentMain {

    static final String PID_PREFIX = "broker.pid=";

    private BrokerParentMain() {
    }

    public static void main(String[] args) throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(Path.of(args[0])).build();
        broker.start();
        System.out.println(PID_PREFIX + broker.pid());
        System.out.flush();
        // Also exits if the test JVM dies before killing this one: its standard input closes.
        while (System.in.read() != -1) {
            // the test never writes
        }
    }
}
