package io.eventfn.app.logging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Keeps a broken connection to Kafka (wrong password, unknown user, untrusted certificate, hostname mismatch, wrong
 * protocol) to one clear line per cause: the Kafka clients log it at every reconnect attempt, from every client. The
 * first line of each cause passes, then at most one a minute; other lines are untouched.
 */
@LoggingFilter(name = "kafka-connection-failures")
public final class KafkaConnectionFailureFilter implements Filter {

    private static final long REPEAT_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();
    private static final String AUTHENTICATION_FAILURE = "failed authentication due to: ";

    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    @Override
    public boolean isLoggable(LogRecord record) {
        String logger = record.getLoggerName();
        if (logger == null || !logger.startsWith("org.apache.kafka") && !logger.startsWith("io.smallrye.reactive.messaging.kafka")) {
            return true;
        }
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (message == null) {
            return true;
        }
        String cause = causeOf(message);
        if (cause == null) {
            return true;
        }
        long now = System.nanoTime();
        Long previous = lastLogged.get(cause);
        if (previous != null && now - previous < REPEAT_INTERVAL_NANOS) {
            return false;
        }
        lastLogged.put(cause, now);
        return true;
    }

    /** The part of a connection failure that names its cause, the same for every client and reconnect; null for other lines. */
    static String causeOf(String message) {
        int authentication = message.indexOf(AUTHENTICATION_FAILURE);
        if (authentication >= 0) {
            return message.substring(authentication + AUTHENTICATION_FAILURE.length());
        }
        if (message.contains("Bootstrap broker") && message.endsWith("disconnected")) {
            return "bootstrap broker disconnected";
        }
        if (message.startsWith("SRMSG18285")) {
            // The connector's "Failed to poll ... it will be re-attempted", with the client's exception: once a minute.
            return "poll failed";
        }
        if (message.contains("terminated during authentication")) {
            return "terminated during authentication";
        }
        return null;
    }
}
