package io.eventfn.faults;

import java.time.Duration;

/**
 * How big each scenario is: the short suite that every {@code verify} runs (tens of thousands of records in all, a
 * few minutes on two cores), or the soak ({@code -Dfault.soak=true}, a million records and many kills per crash
 * scenario).
 *
 * @param scaleOutRecords     orders produced once the group settled after an instance joined (scenario 8; the issue's
 *                            reproduction used 20,000)
 * @param sizeLimitRecords    orders around the records made to the size limits (scenario 9)
 * @param longOutage          a broker outage longer than the clients' timeouts (scenario 10); the exactly-once run's
 *                            transaction timeout is set below it
 * @param slowRecords         orders for a processor slowed to {@code PROCESSING_DELAY} per record (scenario 11)
 * @param pausedRecords       orders while an instance is paused past its session timeout (scenario 12)
 * @param scalingPerSecond    the input rate of scenario 4, low enough that the stream outlasts its membership changes
 * @param partitionProgressLimit how long any input partition may go without a commit once a membership change settled
 */
record Sizes(
        long sigkillRecords, int sigkills,
        long sigtermRecords, int sigterms,
        long outageRecords, Duration outage,
        long scalingRecords, int scalingCycles,
        long exactlyOnceRecords, int exactlyOnceKills,
        long transactionalRecords, int transactionSize,
        long poisonRecords,
        long scaleOutRecords,
        long sizeLimitRecords,
        Duration longOutage,
        long slowRecords,
        long pausedRecords,
        int perSecond, int scalingPerSecond,
        Duration progressLimit, Duration drainLimit, Duration partitionProgressLimit) {

    static final Sizes SHORT = new Sizes(
            15_000, 3,
            15_000, 3,
            8_000, Duration.ofSeconds(10),
            15_000, 1,
            12_000, 3,
            4_000, 100,
            8_000,
            20_000,
            2_000,
            Duration.ofSeconds(10),
            300,
            8_000,
            5_000, 1_000,
            Duration.ofSeconds(120), Duration.ofSeconds(180), Duration.ofSeconds(20));

    static final Sizes SOAK = new Sizes(
            1_000_000, 20,
            1_000_000, 20,
            200_000, Duration.ofSeconds(30),
            300_000, 3,
            300_000, 10,
            100_000, 500,
            200_000,
            200_000,
            20_000,
            Duration.ofSeconds(45),
            1_000,
            200_000,
            20_000, 5_000,
            Duration.ofMinutes(5), Duration.ofMinutes(40), Duration.ofSeconds(20));

    static boolean soak() {
        return Boolean.getBoolean("fault.soak");
    }

    static Sizes current() {
        return soak() ? SOAK : SHORT;
    }
}
