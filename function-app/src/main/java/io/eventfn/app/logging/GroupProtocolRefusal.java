package io.eventfn.app.logging;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.LogRecord;

import org.apache.kafka.clients.consumer.internals.ConsumerHeartbeatRequestManager;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;

/**
 * The brokers do not offer the consumer group protocol (KIP-848) that {@code KAFKA_GROUP_PROTOCOL=consumer} asks for:
 * a Kafka before 4.0, or one with {@code group.coordinator.rebalance.protocols} set to {@code classic}. Kafka then puts
 * the member in a fatal state: it never joins the group, nothing is consumed, and neither retrying nor waiting helps,
 * while health would stay UP. So the app says what to do in one line and exits 1, as for a wrong setting at start-up:
 * the cause is the last line of the crashed container's log, and Kubernetes shows a crash loop instead of a pod that
 * looks healthy and consumes nothing.
 */
final class GroupProtocolRefusal {

    /** The Kafka client's own words: its heartbeat manager's error line and the poll failure both carry them. */
    static final String KAFKA_SAYS = ConsumerHeartbeatRequestManager.CONSUMER_PROTOCOL_NOT_SUPPORTED_MSG
            .substring(0, ConsumerHeartbeatRequestManager.CONSUMER_PROTOCOL_NOT_SUPPORTED_MSG.indexOf('.'));
    /** The membership manager's line that follows, which names no cause. */
    private static final String FATAL_STATE = "transitioned to fatal state";

    static final String MESSAGE = "The Kafka brokers do not offer the consumer group protocol (KIP-848) that"
            + " KAFKA_GROUP_PROTOCOL=consumer (the default) asks for: set KAFKA_GROUP_PROTOCOL=classic, or enable the"
            + " protocol on the brokers (Kafka 4.0+; 3.7+ with group.coordinator.rebalance.protocols=classic,consumer)."
            + " Exiting.";

    private static final Logger LOG = Logger.getLogger(GroupProtocolRefusal.class);

    private final AtomicBoolean refused = new AtomicBoolean();

    /**
     * @param message the record's formatted message
     * @return true for a Kafka line that reports the refusal or its consequence; the first one stops the app
     */
    boolean isRefusal(LogRecord record, String message) {
        if (message.contains(KAFKA_SAYS) || saysSo(record.getThrown()) || saysSoInParameters(record.getParameters())) {
            stopTheApp();
            return true;
        }
        return refused.get() && message.contains(FATAL_STATE);
    }

    /** The connector's poll failure passes the exception as a parameter or as the thrown one. */
    private static boolean saysSoInParameters(Object[] parameters) {
        if (parameters != null) {
            for (Object parameter : parameters) {
                if (parameter instanceof Throwable failure && saysSo(failure)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean saysSo(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains(KAFKA_SAYS)) {
                return true;
            }
        }
        return false;
    }

    private void stopTheApp() {
        if (!refused.compareAndSet(false, true)) {
            return;
        }
        // Not from inside the log filter that saw the line: logging and stopping happen on a thread of their own.
        Thread stop = new Thread(() -> {
            LOG.error(MESSAGE);
            Quarkus.asyncExit(1);
        }, "exit-on-unsupported-group-protocol");
        stop.setDaemon(true);
        stop.start();
    }
}
