package io.eventfn.core;

/**
 * The business logic: turns one inbound record into an {@link Outcome}. This is the interface to
 * implement when you write your own processor.
 *
 * <p>Implementations must be thread-safe, ideally stateless: the app may call {@link #process} concurrently
 * for records of different partitions (records of one partition arrive one at a time, in offset order).
 * {@code process} must not block for long, since it holds up its partition; do slow I/O with a timeout.
 *
 * <p>Return {@link Outcome.Retry} for a transient failure rather than throwing. The app treats an unexpected
 * exception as {@code Reject} with reason class {@code processor-error}, so the record goes to the dead-letter
 * topic and is not retried.
 */
@FunctionalInterface
public interface RecordProcessor {

    Outcome process(InboundRecord record);
}
