package io.eventfn.core;

/**
 * Emits the inbound key and value unchanged (headers are not copied). It exists to measure the framework's
 * own overhead in benchmarks, with no business logic in the way.
 */
public final class NoOpProcessor implements RecordProcessor {

    @Override
    public Outcome process(InboundRecord record) {
        return Outcome.emit(new OutboundRecord(record.key(), record.value()));
    }
}
