package io.eventfn.core;

import java.util.List;
import java.util.Objects;

/**
 * What to do with one inbound record. The app acts on it and then commits the record's offset,
 * except for {@link Retry}, which redelivers the record after a backoff.
 */
public sealed interface Outcome permits Outcome.Emit, Outcome.Reject, Outcome.Retry, Outcome.Skip {

    /** Produces the given records, in order, to the output topic. */
    record Emit(List<OutboundRecord> records) implements Outcome {

        public Emit {
            records = List.copyOf(records);
            if (records.isEmpty()) {
                throw new IllegalArgumentException("Emit needs at least one record; return Skip to produce nothing");
            }
        }
    }

    /**
     * Sends the record to the dead-letter topic: it can never be processed as it is.
     *
     * @param reasonClass a short, stable token usable as a metrics label, e.g. {@code invalid-json}
     * @param reason      a message for a human that names the input at fault, e.g.
     *                    {@code lines[1].quantity must be an integer >= 1, got 0}
     */
    record Reject(String reasonClass, String reason) implements Outcome {

        public Reject {
            Objects.requireNonNull(reasonClass, "reasonClass");
            Objects.requireNonNull(reason, "reason");
            if (reasonClass.isBlank()) {
                throw new IllegalArgumentException("reasonClass must not be blank; it is used as a metrics label");
            }
        }
    }

    /** A transient failure (a dependency is down, a timeout): the app retries the record with backoff. */
    record Retry(String cause) implements Outcome {

        public Retry {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** Deliberately not processed (a tombstone, say): the app counts it and commits, producing nothing. */
    record Skip(String reason) implements Outcome {

        public Skip {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Emits a single record. */
    static Outcome emit(OutboundRecord record) {
        return new Emit(List.of(record));
    }
}
