package io.eventfn.app.metrics;

/**
 * The name of every metric the app registers itself, in one place. Micrometer names are dotted; Prometheus shows them
 * with underscores and a unit or {@code _total} suffix, given beside each constant: that is the name dashboards,
 * alerting rules ({@code deploy/monitoring/}) and the README use.
 * <p>
 * The scheme: the prefix {@value #PREFIX} (the project's group, {@code io.eventfn}), then the thing counted in the
 * domain's words (records, dead letters, commits, rebalances, partitions, lag), then what about it; counters end in
 * {@code _total}, and a gauge says its unit through its base unit ({@code records}, {@code seconds}, {@code bytes}).
 */
public final class MetricNames {

    public static final String PREFIX = "eventfn.";

    /** {@code eventfn_records_received_total}: records handed over by the consumer. */
    public static final String RECORDS_RECEIVED = PREFIX + "records.received";
    /** {@code eventfn_records_emitted_total}: records produced to the output topic. */
    public static final String RECORDS_EMITTED = PREFIX + "records.emitted";
    /** {@code eventfn_records_dead_lettered_total{reason_class}}: records sent to the dead-letter topic. */
    public static final String RECORDS_DEAD_LETTERED = PREFIX + "records.dead.lettered";
    /** {@code eventfn_records_skipped_total}: records deliberately not processed. */
    public static final String RECORDS_SKIPPED = PREFIX + "records.skipped";
    /** {@code eventfn_retries_total}: {@code Retry} outcomes. */
    public static final String RETRIES = PREFIX + "retries";
    /** {@code eventfn_processing_seconds} (histogram): the processor's time per record, retries included. */
    public static final String PROCESSING = PREFIX + "processing";

    /** {@code eventfn_commits_total}: commits of input offsets. */
    public static final String COMMITS = PREFIX + "commits";
    /** {@code eventfn_last_commit_age_seconds}: seconds since the last commit; NaN before the first. */
    public static final String LAST_COMMIT_AGE = PREFIX + "last.commit.age";

    /** {@code eventfn_rebalances_total}: completed rebalances seen by this instance. */
    public static final String REBALANCES = PREFIX + "rebalances";
    /** {@code eventfn_partitions_revoked_total}. */
    public static final String PARTITIONS_REVOKED = PREFIX + "partitions.revoked";
    /** {@code eventfn_partitions_lost_total}. */
    public static final String PARTITIONS_LOST = PREFIX + "partitions.lost";
    /** {@code eventfn_assigned_partitions}: partitions this instance owns. */
    public static final String ASSIGNED_PARTITIONS = PREFIX + "assigned.partitions";

    /**
     * {@code eventfn_lag_committed_records}: end offset minus committed offset, summed over this instance's
     * partitions; what KEDA and {@code kafka-consumer-groups.sh} report.
     */
    public static final String LAG_COMMITTED = PREFIX + "lag.committed";
    /** {@code eventfn_partition_lag_committed_records{topic,partition}}: the same, per assigned partition. */
    public static final String PARTITION_LAG_COMMITTED = PREFIX + "partition.lag.committed";
    /** {@code eventfn_lag_unconsumed_records}: end offset minus the consumer's position, summed. */
    public static final String LAG_UNCONSUMED = PREFIX + "lag.unconsumed";
    /** {@code eventfn_time_to_drain_seconds}: the committed lag at the recent rate. */
    public static final String TIME_TO_DRAIN = PREFIX + "time.to.drain";

    /** {@code eventfn_in_flight_records}: input records taken from the consumer and not yet committed. */
    public static final String IN_FLIGHT_RECORDS = PREFIX + "in.flight.records";
    /** {@code eventfn_in_flight_bytes}: bytes of the records written for them. */
    public static final String IN_FLIGHT_BYTES = PREFIX + "in.flight.bytes";
    /** {@code eventfn_transactions_aborted_total}: exactly once, transactions aborted and written again. */
    public static final String TRANSACTIONS_ABORTED = PREFIX + "transactions.aborted";

    /** Base unit of gauges that count records (Prometheus suffix {@code _records}). */
    static final String RECORDS = "records";
    /** Base unit of gauges in seconds (Prometheus suffix {@code _seconds}). */
    static final String SECONDS = "seconds";

    private MetricNames() {
    }
}
