package io.eventfn.faults;

import java.time.Duration;

/**
 * How big each scenario is: the short suite that every {@code verify} runs (tens of thousands of records in all, a
 * few minutes on two cores), or the soak ({@code -Dfault.soak=true}, a million records and many kills per crash
 * scenario).
 */
record Sizes(
        long sigkillRecords, int sigkills,
        long sigtermRecords, int sigterms,
        long outageRecords, Duration outage,
        long scalingRecords, int scalingCycles,
        long exactlyOnceRecords, int exactlyOnceKills,
        long transactionalRecords, int transactionSize,
        long poisonRecords,
        int perSecond,
        Duration progressLimit, Duration drainLimit) {

    static final Sizes SHORT = new Sizes(
            15_000, 3,
            15_000, 3,
            8_000, Duration.ofSeconds(10),
            15_000, 1,
            12_000, 3,
            4_000, 100,
            8_000,
            5_000,
            Duration.ofSeconds(120), Duration.ofSeconds(180));

    static final Sizes SOAK = new Sizes(
            1_000_000, 20,
            1_000_000, 20,
            200_000, Duration.ofSeconds(30),
            300_000, 3,
            300_000, 10,
            100_000, 500,
            200_000,
            20_000,
            Duration.ofMinutes(5), Duration.ofMinutes(40));

    static boolean soak() {
        return Boolean.getBoolean("fault.soak");
    }

    static Sizes current() {
        return soak() ? SOAK : SHORT;
    }
}
