package io.eventfn.kafka.local;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A count of the orders that came out on an output topic, by the index they were produced with: how many copies of
 * each (so distinct outputs, duplicates and what never came out), and whether one input key's orders came out in
 * input order within an output partition, for their first copies and for their last ones.
 */
public final class OrderTally {

    /** A key for an order whose input key the reader does not know: it takes no part in the order checks. */
    public static final int NO_KEY = -1;

    private int[] copies;
    private long[] firstOutputMillis;
    private int[] keys;
    private int[] lastCopyPartition;
    private long[] lastCopyOffset;
    /** Per output partition and input key, the highest index whose first copy came out there. */
    private final Map<Long, Long> lastFirstIndex = new HashMap<>();
    private int highestIndex = -1;
    private long records;
    private long orderViolations;
    private long earliestOutputMillis = Long.MAX_VALUE;

    /** A tally that grows with the highest index it counts. */
    public OrderTally() {
        this(1024);
    }

    /** A tally sized for orders {@code 0} to {@code orders - 1}; it grows if a higher index comes. */
    public OrderTally(long orders) {
        int length = Math.toIntExact(Math.max(1, orders));
        copies = new int[length];
        firstOutputMillis = new long[length];
        keys = new int[length];
        lastCopyPartition = new int[length];
        lastCopyOffset = new long[length];
    }

    /**
     * One copy counted.
     *
     * @param copies            copies of this order so far, this one included
     * @param firstOutputMillis when its first copy was written (the output record's timestamp)
     * @param cameAfter         the index of a later order of the same key whose first copy came out before this
     *                          (first) copy in the same output partition, or -1 when in order
     */
    public record Copy(int copies, long firstOutputMillis, long cameAfter) {

        public boolean outOfOrder() {
            return cameAfter >= 0;
        }
    }

    /**
     * Counts one output record for the order produced with {@code index} under input key {@code key} ({@link #NO_KEY}
     * when unknown), found at {@code partition}@{@code offset} of the output topic with {@code timestampMillis}.
     */
    public Copy add(long index, int key, int partition, long offset, long timestampMillis) {
        int i = Math.toIntExact(index);
        ensureCapacity(i);
        highestIndex = Math.max(highestIndex, i);
        records++;
        earliestOutputMillis = Math.min(earliestOutputMillis, timestampMillis);
        copies[i]++;
        keys[i] = key;
        lastCopyPartition[i] = partition;
        lastCopyOffset[i] = offset;
        long cameAfter = -1;
        if (copies[i] == 1) {
            firstOutputMillis[i] = timestampMillis;
            // A redelivery after a crash repeats earlier orders, but never reorders first copies.
            if (key != NO_KEY) {
                Long last = lastFirstIndex.get(partitionAndKey(partition, key));
                if (last != null && index < last) {
                    orderViolations++;
                    cameAfter = last;
                } else {
                    lastFirstIndex.put(partitionAndKey(partition, key), index);
                }
            }
        }
        return new Copy(copies[i], firstOutputMillis[i], cameAfter);
    }

    /** How many copies of the order produced with {@code index} came out. */
    public int copies(long index) {
        return index < 0 || index > highestIndex ? 0 : copies[(int) index];
    }

    /** Output records counted. */
    public long records() {
        return records;
    }

    /** Orders that came out at least once. */
    public long distinct() {
        long distinct = 0;
        for (int i = 0; i <= highestIndex; i++) {
            distinct += copies[i] > 0 ? 1 : 0;
        }
        return distinct;
    }

    /** Output records beyond the first per order. */
    public long duplicates() {
        return records - distinct();
    }

    /** When the earliest output record was written, or null when none came out. */
    public Instant firstOutput() {
        return records == 0 ? null : Instant.ofEpochMilli(earliestOutputMillis);
    }

    /** First copies of one input key's orders that came out after a later order of that key in the same partition. */
    public long orderViolations() {
        return orderViolations;
    }

    /**
     * Last copies out of input order: what a reader is left with once records written again after a failure, with
     * those after them, came out again.
     */
    public long lastCopyOrderViolations() {
        long violations = 0;
        Map<Long, Long> lastOffset = new HashMap<>();
        for (int i = 0; i <= highestIndex; i++) {
            if (copies[i] > 0 && keys[i] != NO_KEY) {
                long partitionAndKey = partitionAndKey(lastCopyPartition[i], keys[i]);
                Long before = lastOffset.get(partitionAndKey);
                if (before != null && lastCopyOffset[i] < before) {
                    violations++;
                } else {
                    lastOffset.put(partitionAndKey, lastCopyOffset[i]);
                }
            }
        }
        return violations;
    }

    private static long partitionAndKey(int partition, int key) {
        return (long) partition << 32 | key;
    }

    private void ensureCapacity(int index) {
        if (index >= copies.length) {
            int length = Math.max(index + 1, copies.length * 2);
            copies = Arrays.copyOf(copies, length);
            firstOutputMillis = Arrays.copyOf(firstOutputMillis, length);
            keys = Arrays.copyOf(keys, length);
            lastCopyPartition = Arrays.copyOf(lastCopyPartition, length);
            lastCopyOffset = Arrays.copyOf(lastCopyOffset, length);
        }
    }

    @Override
    public String toString() {
        return "records=" + records + " distinct=" + distinct() + " duplicates=" + duplicates();
    }
}
