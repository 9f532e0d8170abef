package io.eventfn.kafka.local;

/** The local broker did not start; the message ends with the last lines of its log. */
public final class BrokerStartException extends RuntimeException {

    public BrokerStartException(String message) {
        super(message);
    }

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
