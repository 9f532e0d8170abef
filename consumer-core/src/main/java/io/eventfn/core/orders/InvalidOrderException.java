package io.eventfn.core.orders;

import io.eventfn.core.Outcome;

/** Thrown by {@link OrderParser} when a record value is not a valid order; carries the dead-letter reason. */
final class InvalidOrderException extends Exception {

    private final String reasonClass;

    private InvalidOrderException(String reasonClass, String reason) {
        // No stack trace: invalid input is an expected outcome, not a bug, and filling one in is costly.
        super(reason, null, false, false);
        this.reasonClass = reasonClass;
    }

    /** The value is not well-formed UTF-8. */
    static InvalidOrderException invalidEncoding(String reason) {
        return new InvalidOrderException("invalid-encoding", reason);
    }

    /** The value is not a JSON object. */
    static InvalidOrderException invalidJson(String reason) {
        return new InvalidOrderException("invalid-json", reason);
    }

    /** A field of the order is missing or breaks its rule. */
    static InvalidOrderException invalidField(String reason) {
        return new InvalidOrderException("invalid-field", reason);
    }

    Outcome.Reject toReject() {
        return new Outcome.Reject(reasonClass, getMessage());
    }
}
