package io.eventfn.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

import io.eventfn.kafka.local.OrderTally;
import io.eventfn.kafka.local.TopicReader;

/**
 * Everything the app wrote in a run, read back with {@code isolation.level=read_committed} and checked record by record
 * against what {@link OrderProducer} wrote: which valid orders came out how often, in which order per key, with which
 * bytes; and which records were dead-lettered, why, and whether the dead letter carries the source record intact, or,
 * when the whole one could not be written, says exactly what it left out.
 */
final class OutputLedger {

    private static final int MAX_PROBLEMS_SHOWN = 10;
    private static final String VALUE_OMITTED_BYTES = "dead-letter-value-omitted-bytes";
    private static final String KEY_OMITTED_BYTES = "dead-letter-key-omitted-bytes";
    private static final String HEADERS_OMITTED = "dead-letter-headers-omitted";
    private static final String OMITTED_BECAUSE = "dead-letter-omitted-because";

    /** What the outputs must be. */
    enum Expect {
        /** The order enricher's result for each valid order, keyed by its orderId. */
        ENRICHED,
        /** Each input unchanged, key and value ({@code PROCESSOR=noop}); traced by the orderId in the value. */
        UNCHANGED
    }

    /** How much of its source a dead letter carries (the app's smaller forms, for sources at the size limits). */
    enum DeadLetterForm {
        /** Key, value and headers of the source, byte for byte. */
        WHOLE,
        /** Key and headers, no value; {@value #VALUE_OMITTED_BYTES} and {@value #OMITTED_BECAUSE} say why. */
        WITHOUT_VALUE,
        /** No key, value or source headers; the dead-letter headers name the source and what was left out. */
        BARE
    }

    private final OrderProducer input;
    private final Orders orders;
    private final String inputTopic;
    private final Expect expect;
    private final OrderTally outputCopies;
    private final byte[] deadLetterCount;
    /** Per record, the form of its (last) dead letter: 0 none, else DeadLetterForm ordinal + 1. */
    private final byte[] deadLetterForm;
    private Map<String, Long> indexByCoordinates;
    private long largestWholeDeadLetter;
    private long smallestWholeOfAShrunkDeadLetter = Long.MAX_VALUE;
    private final Map<Integer, DuplicateRange> duplicatesPerInputPartition = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private long problemCount;
    private long outputRecords;
    private long deadLetterRecords;
    private long strays;

    private OutputLedger(OrderProducer input, String inputTopic, Expect expect) {
        this.input = input;
        this.orders = input.orders();
        this.inputTopic = inputTopic;
        this.expect = expect;
        this.outputCopies = new OrderTally(input.total());
        this.deadLetterCount = new byte[Math.toIntExact(input.total())];
        this.deadLetterForm = new byte[Math.toIntExact(input.total())];
    }

    /** Reads both topics to their end (read_committed); call once the group's lag is 0 and the instances stopped. */
    static OutputLedger read(String bootstrapServers, OrderProducer input, String inputTopic, String outputTopic,
            String deadLetterTopic, Expect expect, Duration timeout) {
        OutputLedger ledger = new OutputLedger(input, inputTopic, expect);
        TopicReader.readToEnd(bootstrapServers, outputTopic, TopicReader.Isolation.READ_COMMITTED, timeout,
                ledger::countOutput);
        TopicReader.readToEnd(bootstrapServers, deadLetterTopic, TopicReader.Isolation.READ_COMMITTED, timeout,
                ledger::countDeadLetter);
        return ledger;
    }

    private void countOutput(ConsumerRecord<byte[], byte[]> record) {
        outputRecords++;
        String orderId = expect == Expect.UNCHANGED ? String.valueOf(Orders.orderIdIn(record.value()))
                : record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        long index = orders.indexOf(orderId);
        if (index < 0 || index >= input.total()) {
            strays++;
            problem("output " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " has a key that is no orderId of this run: " + orderId);
            return;
        }
        OrderTally.Copy copy = outputCopies.add(index, orders.keyOf(index), record.partition(), record.offset(),
                record.timestamp());
        if (expect == Expect.UNCHANGED) {
            if (!Arrays.equals(orders.value(index), record.value()) || !Arrays.equals(orders.key(index), record.key())) {
                problem("output for " + orderId + " is not its input unchanged (" + length(record.value())
                        + " bytes of value, input " + orders.value(index).length + ")");
            }
        } else {
            String value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
            if (!orders.expectedOutput(index).equals(value)) {
                problem("output for " + orderId + " is " + value + ", expected " + orders.expectedOutput(index));
            }
        }
        if (copy.copies() > 1) {
            duplicatesPerInputPartition.computeIfAbsent(input.partitionOf(index), p -> new DuplicateRange())
                    .add(input.offsetOf(index), copy.firstOutputMillis(), record.timestamp());
        }
        if (copy.outOfOrder()) {
            // Within one output partition, one input key's orders must first come out in the order they were produced.
            problem("order " + orderId + " came out after order index " + copy.cameAfter() + " of the same key in "
                    + record.topic() + "-" + record.partition() + "@" + record.offset());
        }
    }

    private void countDeadLetter(ConsumerRecord<byte[], byte[]> record) {
        deadLetterRecords++;
        String where = "dead letter " + record.topic() + "-" + record.partition() + "@" + record.offset();
        DeadLetterForm form = header(record, KEY_OMITTED_BYTES) != null ? DeadLetterForm.BARE
                : header(record, VALUE_OMITTED_BYTES) != null ? DeadLetterForm.WITHOUT_VALUE : DeadLetterForm.WHOLE;
        String indexText = header(record, OrderProducer.INDEX_HEADER);
        long index;
        if (form == DeadLetterForm.BARE) {
            // Without the source's headers: traced by the coordinates it names.
            Long byCoordinates = indexByCoordinates().get(header(record, "dead-letter-partition") + "@"
                    + header(record, "dead-letter-offset"));
            if (byCoordinates == null || indexText != null) {
                strays++;
                problem(where + " (bare) names no record of this run, or kept a source header: "
                        + header(record, "dead-letter-partition") + "@" + header(record, "dead-letter-offset"));
                return;
            }
            index = byCoordinates;
        } else {
            try {
                index = Long.parseLong(indexText);
            } catch (NumberFormatException e) {
                strays++;
                problem(where + " lost the source header " + OrderProducer.INDEX_HEADER + " (" + indexText + ")");
                return;
            }
        }
        int i = (int) index;
        if (deadLetterCount[i] < Byte.MAX_VALUE) {
            deadLetterCount[i]++;
        }
        deadLetterForm[i] = (byte) (form.ordinal() + 1);
        Orders.Kind kind = orders.kind(index);
        if (kind.isValid()) {
            problem(where + ": valid order " + orders.orderId(index) + " was dead-lettered: "
                    + header(record, "dead-letter-reason"));
            return;
        }
        String reason = header(record, "dead-letter-reason");
        String reasonClass = header(record, "dead-letter-reason-class");
        if (reason == null || reason.isBlank() || !kind.reasonClass().equals(reasonClass)) {
            problem(where + " of a " + kind + " record has reason class " + reasonClass + " (expected "
                    + kind.reasonClass() + ") and reason " + reason);
        }
        if (!inputTopic.equals(header(record, "dead-letter-topic"))
                || !Integer.toString(input.partitionOf(index)).equals(header(record, "dead-letter-partition"))
                || !Long.toString(input.offsetOf(index)).equals(header(record, "dead-letter-offset"))) {
            problem(where + " names source " + header(record, "dead-letter-topic") + "-"
                    + header(record, "dead-letter-partition") + "@" + header(record, "dead-letter-offset")
                    + ", but record " + index + " was written to " + inputTopic + "-" + input.partitionOf(index) + "@"
                    + input.offsetOf(index));
        }
        byte[] sourceKey = orders.key(index);
        byte[] sourceValue = orders.value(index);
        switch (form) {
            case WHOLE -> {
                if (!Arrays.equals(sourceValue, record.value()) || !Arrays.equals(sourceKey, record.key())) {
                    problem(where + " does not carry the source key and value of record " + index + " byte for byte");
                }
                largestWholeDeadLetter = Math.max(largestWholeDeadLetter, upperBound(record.key(), record.value(),
                        record.headers().toArray()));
            }
            case WITHOUT_VALUE -> {
                if (record.value() != null || !Arrays.equals(sourceKey, record.key())
                        || !Integer.toString(sourceValue.length).equals(header(record, VALUE_OMITTED_BYTES))
                        || isBlank(header(record, OMITTED_BECAUSE))) {
                    problem(where + " of record " + index + " without its value does not carry the source key, or"
                            + " does not say what it left out (" + VALUE_OMITTED_BYTES + "="
                            + header(record, VALUE_OMITTED_BYTES) + ", source value " + sourceValue.length + " bytes, "
                            + OMITTED_BECAUSE + "=" + header(record, OMITTED_BECAUSE) + ")");
                }
                // The whole dead letter it stands for: its headers without the two that describe the omission.
                Header[] wholeHeaders = java.util.stream.StreamSupport.stream(record.headers().spliterator(), false)
                        .filter(h -> !h.key().equals(VALUE_OMITTED_BYTES) && !h.key().equals(OMITTED_BECAUSE))
                        .toArray(Header[]::new);
                smallestWholeOfAShrunkDeadLetter = Math.min(smallestWholeOfAShrunkDeadLetter,
                        upperBound(sourceKey, sourceValue, wholeHeaders));
            }
            case BARE -> {
                if (record.key() != null || record.value() != null
                        || !Integer.toString(sourceKey.length).equals(header(record, KEY_OMITTED_BYTES))
                        || !Integer.toString(sourceValue.length).equals(header(record, VALUE_OMITTED_BYTES))
                        || !Integer.toString(OrderProducer.headers(orders, index).length)
                                .equals(header(record, HEADERS_OMITTED))
                        || isBlank(header(record, OMITTED_BECAUSE))) {
                    problem(where + " of record " + index + " (bare) carries a key or value, or does not say exactly"
                            + " what it left out: key " + header(record, KEY_OMITTED_BYTES) + " of " + sourceKey.length
                            + ", value " + header(record, VALUE_OMITTED_BYTES) + " of " + sourceValue.length
                            + ", headers " + header(record, HEADERS_OMITTED));
                }
            }
        }
    }

    /** Where each record of the run was written, to trace a dead letter that kept only the source's coordinates. */
    private Map<String, Long> indexByCoordinates() {
        if (indexByCoordinates == null) {
            indexByCoordinates = new HashMap<>();
            for (long i = 0; i < input.total(); i++) {
                indexByCoordinates.put(input.partitionOf(i) + "@" + input.offsetOf(i), i);
            }
        }
        return indexByCoordinates;
    }

    /** The size the producer gives a record when it checks it against max.request.size. */
    static int upperBound(byte[] key, byte[] value, Header[] headers) {
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                key, value, headers);
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    /** The form of record {@code index}'s dead letter, or null when it has none. */
    DeadLetterForm deadLetterForm(long index) {
        int form = deadLetterForm[(int) index];
        return form == 0 ? null : DeadLetterForm.values()[form - 1];
    }

    /** The largest whole dead letter written, as the producer sizes it (0: none). */
    long largestWholeDeadLetter() {
        return largestWholeDeadLetter;
    }

    /**
     * Of the dead letters written without their value, the smallest size the whole one would have had (as the
     * producer sizes it; {@link Long#MAX_VALUE}: none): above the limit, or a record that fitted was shrunk.
     */
    long smallestWholeOfAShrunkDeadLetter() {
        return smallestWholeOfAShrunkDeadLetter;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void problem(String description) {
        problemCount++;
        if (problems.size() < MAX_PROBLEMS_SHOWN) {
            problems.add(description);
        }
    }

    /** Where a partition's duplicates came from and when their two copies were written, for a bug report. */
    private static final class DuplicateRange {
        long count;
        long minOffset = Long.MAX_VALUE;
        long maxOffset = Long.MIN_VALUE;
        long minFirst = Long.MAX_VALUE;
        long maxFirst = Long.MIN_VALUE;
        long minAgain = Long.MAX_VALUE;
        long maxAgain = Long.MIN_VALUE;

        void add(long offset, long first, long again) {
            count++;
            minOffset = Math.min(minOffset, offset);
            maxOffset = Math.max(maxOffset, offset);
            minFirst = Math.min(minFirst, first);
            maxFirst = Math.max(maxFirst, first);
            minAgain = Math.min(minAgain, again);
            maxAgain = Math.max(maxAgain, again);
        }

        @Override
        public String toString() {
            return count + " duplicates of input offsets " + minOffset + ".." + maxOffset + ", first written "
                    + time(minFirst) + "–" + time(maxFirst) + ", again " + time(minAgain) + "–" + time(maxAgain);
        }

        private static String time(long epochMillis) {
            return java.time.LocalTime.ofInstant(java.time.Instant.ofEpochMilli(epochMillis), java.time.ZoneOffset.UTC)
                    .toString();
        }
    }

    /** What happened to every record of the run, in the terms of the results table. */
    Tally tally() {
        long valid = 0;
        long outputs = 0;
        long lost = 0;
        long duplicates = 0;
        long deadLettered = 0;
        long withoutValue = 0;
        long bare = 0;
        long deadLetterDuplicates = 0;
        long poisonNotDeadLettered = 0;
        long abortedOutputs = 0;
        long poisonOutputs = 0;
        List<String> lostExamples = new ArrayList<>();
        for (int i = 0; i < input.total(); i++) {
            int outputCount = outputCopies.copies(i);
            duplicates += Math.max(0, outputCount - 1);
            deadLetterDuplicates += Math.max(0, deadLetterCount[i] - 1);
            if (input.isAborted(i)) {
                abortedOutputs += outputCount > 0 || deadLetterCount[i] > 0 ? 1 : 0;
            } else if (orders.kind(i).isValid()) {
                valid++;
                if (outputCount > 0) {
                    outputs++;
                } else {
                    lost++;
                    if (lostExamples.size() < MAX_PROBLEMS_SHOWN) {
                        lostExamples.add(orders.orderId(i) + " (" + inputTopic + "-" + input.partitionOf(i) + "@"
                                + input.offsetOf(i) + ")");
                    }
                }
            } else {
                poisonOutputs += outputCount > 0 ? 1 : 0;
                if (deadLetterCount[i] > 0) {
                    deadLettered++;
                    withoutValue += deadLetterForm(i) == DeadLetterForm.WITHOUT_VALUE ? 1 : 0;
                    bare += deadLetterForm(i) == DeadLetterForm.BARE ? 1 : 0;
                } else {
                    poisonNotDeadLettered++;
                }
            }
        }
        return new Tally(input.total(), valid, input.abortedCount(), outputRecords, outputs, lost, duplicates,
                deadLetterRecords, deadLettered, withoutValue, bare, deadLetterDuplicates, poisonNotDeadLettered,
                abortedOutputs, poisonOutputs, outputCopies.orderViolations(), outputCopies.lastCopyOrderViolations(),
                strays, problemCount, List.copyOf(problems), List.copyOf(lostExamples),
                duplicatesPerInputPartition.entrySet().stream()
                        .map(entry -> inputTopic + "-" + entry.getKey() + ": " + entry.getValue()).toList());
    }

    /**
     * @param outputs      distinct valid orders seen on the output topic
     * @param lost         valid orders (outside aborted transactions) never output
     * @param duplicates   output records beyond the first per orderId
     * @param deadLettered distinct poison records seen on the dead-letter topic
     * @param deadLetteredWithoutValue of those, the ones whose dead letter left out the value
     * @param deadLetteredBare         of those, the ones whose dead letter left out key, value and source headers
     * @param orderViolations          first copies of an input key's orders out of input order (what a reader of the
     *                                 output sees first)
     * @param lastCopyOrderViolations  last copies out of input order (what a reader is left with once records written
     *                                 again after a failure, with those after them, came out again)
     */
    record Tally(long produced, long valid, long aborted, long outputRecords, long outputs, long lost, long duplicates,
            long deadLetterRecords, long deadLettered, long deadLetteredWithoutValue, long deadLetteredBare,
            long deadLetterDuplicates, long poisonNotDeadLettered,
            long abortedOutputs, long poisonOutputs, long orderViolations, long lastCopyOrderViolations, long strays,
            long problemCount,
            List<String> problems, List<String> lostExamples, List<String> duplicateSources) {

        /** Nothing counted: the scenario failed before it could read the topics. */
        static Tally none() {
            return new Tally(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), List.of());
        }
    }
}
